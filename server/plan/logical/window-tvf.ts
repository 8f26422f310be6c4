/**
 * WindowTvf: the window table functions TUMBLE and HOP in FROM. Each input row comes out once per
 * window that holds its time column (TUMBLE: exactly one; HOP: every window of length size starting at
 * a multiple of slide that holds it), as the input columns followed by window_start and window_end
 * (the time column's type). A NULL time has no window: the row is dropped. Sizes are microseconds > 0,
 * month-free, fixed at bind time. A stateless row map, so the output is append-only when the input is.
 */
import type { LogicalPlan, PlanColumn, PlanProperties } from './plan.js';

/** Which windows a row belongs to; sizes in microseconds. */
export type WindowAssignment =
  | { readonly kind: 'tumble'; readonly size: number }
  | { readonly kind: 'hop'; readonly slide: number; readonly size: number };

function durationText(micros: number): string {
  const units: readonly [number, string][] = [[86_400_000_000, 'd'], [3_600_000_000, 'h'], [60_000_000, 'min'], [1_000_000, 's'], [1_000, 'ms']];
  for (const [unit, name] of units) if (micros % unit === 0) return `${micros / unit}${name}`;
  return `${micros}us`;
}

export class WindowTvfNode implements PlanProperties {
  readonly kind = 'windowTvf' as const;
  readonly schema: readonly PlanColumn[];
  readonly streamKey: readonly number[] | undefined;
  readonly appendOnly: boolean;
  readonly inputs: readonly LogicalPlan[];
  constructor(
    readonly input: LogicalPlan,
    /** Position of the time column (timestamp or timestamptz) in the input row. */
    readonly timeColumn: number,
    readonly assignment: WindowAssignment,
  ) {
    this.inputs = [input];
    this.appendOnly = input.appendOnly;
    const width = input.schema.length;
    const timeType = input.schema[timeColumn]!.type;
    this.schema = [
      ...input.schema,
      { name: 'window_start', type: timeType, tableOid: 0, attnum: 0 },
      { name: 'window_end', type: timeType, tableOid: 0, attnum: 0 },
    ];
    // TUMBLE: one output row per input row, so the input's key still identifies it. HOP: a row
    // appears once per window, told apart by window_start.
    const key = input.streamKey;
    this.streamKey = key === undefined ? undefined : assignment.kind === 'tumble' ? key : [...key, width];
  }
  describe(): string {
    const time = this.input.schema[this.timeColumn]!.name;
    const a = this.assignment;
    return a.kind === 'tumble'
      ? `WindowTvf TUMBLE(${time}, size=${durationText(a.size)})`
      : `WindowTvf HOP(${time}, slide=${durationText(a.slide)}, size=${durationText(a.size)})`;
  }
}
