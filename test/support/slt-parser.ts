/**
 * Parses sqllogictest (.slt) files into records: statements, queries, halt. Understands the
 * conventions of sqllogictest and sqllogictest-rs that Freshet uses: `statement ok|error <regex>`,
 * `query <types> [rowsort|valuesort|nosort] [label]`, `query error <regex>`, `skipif/onlyif <engine>`,
 * `halt`, `hash-threshold` (ignored) and `#` comments. Pure text work: no database access here.
 */

export type SortMode = 'nosort' | 'rowsort' | 'valuesort';

/** Which engine a record is limited to (`onlyif`) or excluded from (`skipif`). */
export interface EngineCondition {
  readonly kind: 'onlyif' | 'skipif';
  readonly engine: string;
}

export type SltRecord =
  | {
      readonly kind: 'statement';
      readonly line: number;
      readonly conditions: readonly EngineCondition[];
      readonly sql: string;
      /** null: must succeed; otherwise the error must match (see slt.ts for what is matched). */
      readonly expectedError: RegExp | null;
    }
  | {
      readonly kind: 'query';
      readonly line: number;
      readonly conditions: readonly EngineCondition[];
      readonly sql: string;
      /** One letter per column: I integer, T text, R real (3 decimals), anything else compared as text. */
      readonly types: string;
      readonly sortMode: SortMode;
      readonly label: string | null;
      /** Expected rows as written, one line per row. */
      readonly expectedRows: readonly string[];
    }
  | {
      readonly kind: 'queryError';
      readonly line: number;
      readonly conditions: readonly EngineCondition[];
      readonly sql: string;
      readonly expectedError: RegExp;
    }
  | { readonly kind: 'halt'; readonly line: number; readonly conditions: readonly EngineCondition[] };

export class SltParseError extends Error {
  constructor(file: string, line: number, message: string) {
    super(`${file}:${line}: ${message}`);
  }
}

const SORT_MODES: readonly string[] = ['nosort', 'rowsort', 'valuesort'];

/** Splits file text into records. `file` is only used in error messages. */
export function parseSlt(text: string, file: string): SltRecord[] {
  const lines = text.split(/\r?\n/);
  const records: SltRecord[] = [];
  let conditions: EngineCondition[] = [];
  let i = 0;

  const isBlank = (s: string | undefined): boolean => s === undefined || s.trim() === '';
  /** Reads lines up to a blank line (or `stopAt`), skipping nothing: SQL keeps its own comments. */
  const readBlock = (stopAt: string | null): string[] => {
    const out: string[] = [];
    while (i < lines.length && !isBlank(lines[i]) && (stopAt === null || lines[i]!.trim() !== stopAt)) {
      out.push(lines[i]!);
      i++;
    }
    return out;
  };
  const errorPattern = (raw: string, lineNo: number): RegExp => {
    const source = raw.trim();
    if (source === '') return /[\s\S]*/;
    try {
      return new RegExp(source);
    } catch (err) {
      throw new SltParseError(file, lineNo, `bad error regex ${JSON.stringify(source)}: ${(err as Error).message}`);
    }
  };

  while (i < lines.length) {
    const raw = lines[i]!;
    const lineNo = i + 1;
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) {
      i++;
      continue;
    }
    const words = trimmed.split(/\s+/);
    const head = words[0]!;
    switch (head) {
      case 'skipif':
      case 'onlyif': {
        if (words.length < 2) throw new SltParseError(file, lineNo, `${head} needs an engine name`);
        conditions.push({ kind: head, engine: words[1]! });
        i++;
        continue;
      }
      case 'hash-threshold':
        i++;
        continue;
      case 'halt':
        records.push({ kind: 'halt', line: lineNo, conditions });
        conditions = [];
        i++;
        continue;
      case 'statement': {
        const mode = words[1];
        i++;
        const sql = readBlock(null).join('\n');
        if (sql.trim() === '') throw new SltParseError(file, lineNo, 'statement without SQL');
        if (mode === 'ok') {
          records.push({ kind: 'statement', line: lineNo, conditions, sql, expectedError: null });
        } else if (mode === 'error') {
          const rest = trimmed.replace(/^statement\s+error\s*/, '');
          records.push({ kind: 'statement', line: lineNo, conditions, sql, expectedError: errorPattern(rest, lineNo) });
        } else {
          throw new SltParseError(file, lineNo, `statement must be "ok" or "error", got ${JSON.stringify(mode)}`);
        }
        conditions = [];
        continue;
      }
      case 'query': {
        if (words[1] === 'error') {
          const rest = trimmed.replace(/^query\s+error\s*/, '');
          i++;
          const sql = readBlock(null).join('\n');
          if (sql.trim() === '') throw new SltParseError(file, lineNo, 'query without SQL');
          records.push({ kind: 'queryError', line: lineNo, conditions, sql, expectedError: errorPattern(rest, lineNo) });
          conditions = [];
          continue;
        }
        const types = words[1];
        if (types === undefined || !/^[A-Z]+$/.test(types)) {
          throw new SltParseError(file, lineNo, `query needs column type letters (I, T, R, ...), got ${JSON.stringify(types)}`);
        }
        let sortMode: SortMode = 'nosort';
        let label: string | null = null;
        for (const w of words.slice(2)) {
          if (SORT_MODES.includes(w)) sortMode = w as SortMode;
          else if (label === null) label = w;
          else throw new SltParseError(file, lineNo, `unexpected word ${JSON.stringify(w)} after query`);
        }
        i++;
        const sql = readBlock('----').join('\n');
        if (sql.trim() === '') throw new SltParseError(file, lineNo, 'query without SQL');
        const expectedRows: string[] = [];
        if (i < lines.length && lines[i]!.trim() === '----') {
          i++;
          while (i < lines.length && !isBlank(lines[i])) {
            expectedRows.push(lines[i]!.trimEnd());
            i++;
          }
        }
        records.push({ kind: 'query', line: lineNo, conditions, sql, types, sortMode, label, expectedRows });
        conditions = [];
        continue;
      }
      default:
        throw new SltParseError(file, lineNo, `unknown record ${JSON.stringify(head)}`);
    }
  }
  if (conditions.length > 0) throw new SltParseError(file, lines.length, 'skipif/onlyif at end of file with no record');
  return records;
}

/** True when a record with these conditions runs on `engine`. */
export function appliesTo(conditions: readonly EngineCondition[], engine: string): boolean {
  for (const c of conditions) {
    if (c.kind === 'onlyif' && c.engine !== engine) return false;
    if (c.kind === 'skipif' && c.engine === engine) return false;
  }
  return true;
}
