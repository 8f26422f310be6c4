/** The name PostgreSQL gives a select-list column without an alias (its FigureColname rules). */
import type { Expr } from '../../sql/ast.js';

export function figureColumnName(e: Expr): string {
  return figure(e) ?? '?column?';
}

function figure(e: Expr): string | undefined {
  switch (e.kind) {
    case 'columnRef': return e.column;
    case 'func': return e.name;
    case 'cast': return figure(e.expr) ?? e.type.name;
    case 'typedLiteral': return e.type.name;
    case 'case': return 'case';
    case 'array': return 'array';
    case 'row': return 'row';
    case 'exists': return 'exists';
    case 'subquery': {
      if (e.array) return 'array';
      const body = e.query.body;
      if (body.kind === 'select' && body.items.length > 0) {
        const first = body.items[0]!;
        return first.alias ?? figure(first.expr);
      }
      return undefined;
    }
    case 'subscript': return figure(e.expr);
    case 'collate': return figure(e.expr);
    case 'fieldSelect': return e.field;
    case 'anyAll': case 'inSubquery': case 'inList': case 'between': case 'is': case 'like':
    case 'binary': case 'unary': case 'literal': case 'param': case 'star':
      return undefined;
    default: { const never: never = e; return never; }
  }
}
