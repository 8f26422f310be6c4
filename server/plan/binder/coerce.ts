/**
 * Type coercion while binding, PostgreSQL style: an unknown literal takes the type its context wants
 * (parsed now, so a bad literal fails at bind time), an untyped `$n` gets that type recorded, and
 * other expressions get a cast call when castRule allows one in the given context.
 */
import { SqlError, SQLSTATE } from '../../errors.js';
import type { Datum } from '../../types/datum.js';
import { sameType, type SqlType } from '../../types/sql-type.js';
import type { BoundExpr } from '../bound/expr.js';
import { castDatum, castRule, typeDisplayName, type CastContext } from '../type-runtime.js';
import type { BindContext } from '../context.js';
import { isRegKind, regCastFn, regFromText } from './reg-cast.js';

const STRENGTH: Record<CastContext, number> = { implicit: 0, assignment: 1, explicit: 2 };

/** Where a coercion happens: who reports a failure and how. */
export interface CoercionSite {
  readonly paramTypes: (SqlType | undefined)[];
  /** For casts that read the catalog (text -> regclass) at bind time. */
  readonly ctx?: BindContext;
}

export function castCall(e: BoundExpr, to: SqlType, explicit: boolean): BoundExpr {
  const from = e.type;
  const reg = regCastFn(from, to);
  if (reg) return { kind: 'call', label: `::${to.kind}`, fn: reg, args: [e], type: to, strict: true, volatile: false };
  const fn = (args: Datum[]): Datum => castDatum(args[0]!, from, to, explicit);
  if (e.kind === 'const') {
    try {
      return { kind: 'const', value: fn([e.value]), type: to };
    } catch {
      // a failing constant cast is reported when (and if) it is evaluated
    }
  }
  return { kind: 'call', label: `::${to.kind === 'array' ? `${to.element?.kind}[]` : to.kind}`, fn, args: [e], type: to, strict: true, volatile: false };
}

function sameTypmod(a: SqlType, b: SqlType): boolean {
  return b.typmod === -1 || a.typmod === b.typmod;
}

/** `e` as type `to`, or undefined when no cast is allowed in `context`. */
export function tryCoerce(e: BoundExpr, to: SqlType, context: CastContext, site: CoercionSite, pos?: number): BoundExpr | undefined {
  if (to.kind === 'unknown') return e;
  if (sameType(e.type, to) && sameTypmod(e.type, to)) return e;
  if (e.type.kind === 'unknown') {
    if (e.kind === 'const') {
      try {
        if (e.value !== null && isRegKind(to) && site.ctx) return { kind: 'const', value: regFromText(to, String(e.value), site.ctx.fn, site.ctx.catalog), type: to };
        return { kind: 'const', value: e.value === null ? null : castDatum(e.value, e.type, to, context === 'explicit'), type: to };
      } catch (error) {
        if (error instanceof SqlError && error.position === undefined) error.position = pos;
        throw error;
      }
    }
    if (e.kind === 'param') {
      site.paramTypes[e.index] = to;
      return { kind: 'param', index: e.index, type: to };
    }
  }
  const rule = castRule(e.type, to);
  if (rule === undefined || STRENGTH[rule] > STRENGTH[context]) return undefined;
  return castCall(e, to, context === 'explicit');
}

/** Like tryCoerce but reports 42804 (or 42846 for explicit casts) with `what` describing the place. */
export function coerce(e: BoundExpr, to: SqlType, context: CastContext, site: CoercionSite, pos: number | undefined, what?: string): BoundExpr {
  const r = tryCoerce(e, to, context, site, pos);
  if (r) return r;
  if (context === 'explicit') {
    throw new SqlError(SQLSTATE.cannotCoerce, `cannot cast type ${typeDisplayName(e.type)} to ${typeDisplayName(to)}`, { position: pos });
  }
  throw new SqlError(
    SQLSTATE.datatypeMismatch,
    what ?? `column is of type ${typeDisplayName(to)} but expression is of type ${typeDisplayName(e.type)}`,
    { position: pos },
  );
}

/** Unknown literals and untyped params left without context become text, as in a select list. */
export function resolveUnknown(e: BoundExpr, site: CoercionSite): BoundExpr {
  if (e.type.kind !== 'unknown') return e;
  return coerce(e, { kind: 'text', typmod: -1 }, 'implicit', site, undefined);
}
