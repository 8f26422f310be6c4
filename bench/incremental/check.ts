/**
 * Compares a view's per-region (count, sum) rows, as read back from a system, with the totals the
 * workload model expects; throws naming the first difference, so a benchmark never reports the
 * speed of a wrong answer.
 */
import type { RegionTotals } from './workload.js';

export type TotalsRow = readonly unknown[];

export function checkTotals(system: string, rows: readonly TotalsRow[], expected: RegionTotals): void {
  const seen = new Set<number>();
  for (const [regionDatum, countDatum, sumDatum] of rows) {
    const region = Number(regionDatum);
    const want = expected.get(region);
    const count = Number(countDatum);
    const sum = Number(sumDatum);
    if (!want) throw new Error(`${system}: region ${region} has (${count}, ${sum}) but no orders are expected there`);
    if (want.count !== count || want.sum !== sum) {
      throw new Error(`${system}: region ${region} has (count ${count}, sum ${sum}), expected (${want.count}, ${want.sum})`);
    }
    if (seen.has(region)) throw new Error(`${system}: region ${region} appears twice`);
    seen.add(region);
  }
  if (seen.size !== expected.size) throw new Error(`${system}: ${seen.size} regions in the view, expected ${expected.size}`);
}
