/**
 * Checks a stream's `WATERMARK FOR col AS expr` at CREATE STREAM: the column exists and is a
 * timestamp, and the expression is the column itself or the column minus a constant interval (days,
 * hours, ... but no months: their length varies). The result is the catalog's StreamWatermarkDef.
 */
import type { ColumnMeta, StreamWatermarkDef } from '../../catalog/model.js';
import { SqlError, SQLSTATE } from '../../errors.js';
import { bindScalar } from '../../plan/api.js';
import type { Expr, WatermarkDef } from '../../sql/ast.js';
import { exprSql } from '../../sql/deparse.js';
import { Interval } from '../../types/datum.js';
import { T } from '../../types/sql-type.js';
import type { StatementContext } from '../statement-context.js';

const MICROS_PER_DAY = 86_400_000_000;

function isColumn(e: Expr, name: string): boolean {
  return e.kind === 'columnRef' && e.table === undefined && e.column === name;
}

function refuse(message: string, pos: number | undefined, code: string = SQLSTATE.featureNotSupported): never {
  throw new SqlError(code, message, { position: pos, hint: "Write WATERMARK FOR col AS col - INTERVAL '5' SECOND (or AS col for no delay)." });
}

export function watermarkDefOf(w: WatermarkDef, columns: readonly ColumnMeta[], idleTimeoutMs: number | undefined, ctx: StatementContext): StreamWatermarkDef {
  const column = columns.findIndex((c) => c.name === w.column);
  if (column < 0) throw new SqlError(SQLSTATE.undefinedColumn, `column "${w.column}" named in WATERMARK does not exist`, { position: w.pos });
  const kind = columns[column]!.type.kind;
  if (kind !== 'timestamp' && kind !== 'timestamptz') {
    throw new SqlError(SQLSTATE.datatypeMismatch, `watermark column "${w.column}" must be of type timestamp or timestamptz, not ${columns[column]!.type.kind}`, { position: w.pos });
  }
  let delayMicros = 0;
  if (!isColumn(w.expr, w.column)) {
    const e = w.expr;
    if (e.kind !== 'binary' || e.op !== '-' || !isColumn(e.left, w.column)) {
      refuse(`a watermark must be "${w.column}" or "${w.column} - <interval>"`, w.pos);
    }
    const delay = bindScalar(e.right, [], [], ctx.bind, T.interval).evaluate([[]], [], ctx.exec());
    if (!(delay instanceof Interval)) refuse('the watermark delay must be a constant interval', w.pos, SQLSTATE.invalidParameterValue);
    if (delay.months !== 0) refuse('the watermark delay must not contain months or years', w.pos, SQLSTATE.invalidParameterValue);
    delayMicros = delay.days * MICROS_PER_DAY + delay.micros;
    if (delayMicros < 0) refuse('the watermark delay must not be negative', w.pos, SQLSTATE.invalidParameterValue);
  }
  return { column, delayMicros, expression: exprSql(w.expr), ...(idleTimeoutMs !== undefined ? { idleTimeoutMs } : {}) };
}
