/**
 * The four changelog operations (the seed's undo/redo records, Flink's +I -U +U -D). An
 * UpdateBefore is always immediately followed, in the same chunk, by its UpdateAfter.
 */
export const enum Op {
  Insert = 0,
  Delete = 1,
  UpdateBefore = 2,
  UpdateAfter = 3,
}

/** The short text form used by `CREATE STREAM ... AS` changelogs, SUBSCRIBE and test fixtures. */
export const OP_TEXT: readonly string[] = ['+I', '-D', '-U', '+U'];

/** +1 for ops that add a row to the result, -1 for ops that remove one. */
export function opSign(op: Op): 1 | -1 {
  return op === Op.Insert || op === Op.UpdateAfter ? 1 : -1;
}

export function parseOp(text: string): Op {
  const i = OP_TEXT.indexOf(text);
  if (i < 0) throw new Error(`unknown changelog op ${text}`);
  return i as Op;
}
