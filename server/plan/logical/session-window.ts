/**
 * SessionWindow: the SESSION(rel, time_col, gap) table function in FROM. Rows of one partition whose
 * times lie closer than `gap` to a neighbour form one session [first time, last time + gap); each input
 * row comes out once, as its columns followed by its session's window_start and window_end (the time
 * column's type). A row whose time is `gap` or more after the previous one starts a new session. A
 * NULL time has no session: the row is dropped. `partitionKeys` (input columns) is set after binding by
 * plan/rules/session-partition.ts from the GROUP BY above; empty means one partition. A later row can
 * merge or split sessions, so the output retracts rows: never append-only.
 */
import type { LogicalPlan, PlanColumn, PlanProperties } from './plan.js';

function durationText(micros: number): string {
  const units: readonly [number, string][] = [[86_400_000_000, 'd'], [3_600_000_000, 'h'], [60_000_000, 'min'], [1_000_000, 's'], [1_000, 'ms']];
  for (const [unit, name] of units) if (micros % unit === 0) return `${micros / unit}${name}`;
  return `${micros}us`;
}

export class SessionWindowNode implements PlanProperties {
  readonly kind = 'sessionWindow' as const;
  readonly schema: readonly PlanColumn[];
  readonly streamKey: readonly number[] | undefined;
  readonly appendOnly = false;
  readonly inputs: readonly LogicalPlan[];
  constructor(
    readonly input: LogicalPlan,
    /** Position of the time column (timestamp or timestamptz) in the input row. */
    readonly timeColumn: number,
    /** Microseconds > 0, fixed at bind time. */
    readonly gap: number,
    /** Input columns whose values split the rows into independent session sequences. */
    readonly partitionKeys: readonly number[] = [],
  ) {
    this.inputs = [input];
    const timeType = input.schema[timeColumn]!.type;
    this.schema = [
      ...input.schema,
      { name: 'window_start', type: timeType, tableOid: 0, attnum: 0 },
      { name: 'window_end', type: timeType, tableOid: 0, attnum: 0 },
    ];
    // One output row per input row: the input's key still identifies it.
    this.streamKey = input.streamKey;
  }

  /** The same window over a rewritten input, or with another partitioning. */
  with(input: LogicalPlan, partitionKeys: readonly number[] = this.partitionKeys): SessionWindowNode {
    return new SessionWindowNode(input, this.timeColumn, this.gap, partitionKeys);
  }

  describe(): string {
    const time = this.input.schema[this.timeColumn]!.name;
    const by = this.partitionKeys.length > 0 ? ` partition by ${this.partitionKeys.map((k) => this.input.schema[k]!.name).join(', ')}` : '';
    return `SessionWindow SESSION(${time}, gap=${durationText(this.gap)})${by}`;
  }
}
