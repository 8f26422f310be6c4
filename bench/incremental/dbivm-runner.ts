/**
 * One run of the workload on @tanstack/db-ivm (differential dataflow in JS, in memory, no storage):
 * orders keyed by customer joined with customers, then grouped by region with count and sum (or the
 * join alone). The initial data goes in as one untimed step; then each batch of changes is one
 * MultiSet (an update is the old row at -1 and the new row at +1) followed by graph.run().
 */
import { D2, groupBy, groupByOperators, join, MultiSet, output } from '@tanstack/db-ivm';
import { checkTotals } from './check.js';
import { nowMs } from './measure.js';
import type { ViewShape } from './view-query.js';
import { batches, ChangeKind, regionTotals, type Workload } from './workload.js';

/** An order as the dataflow sees it: keyed by its customer, valued [order id, amount]. */
type OrderEntry = [number, [number, number]];
type CustomerEntry = [number, number];
type Joined = [number, [[number, number], number]];

export interface DbIvmRun {
  readonly changesPerSec: number;
  readonly loadMs: number;
}

/** Keeps the view's current per-region (count, sum) from the output's differences. */
class RegionTotalsSink {
  readonly totals = new Map<number, { count: number; sum: number }>();

  add(region: number, count: number, sum: number): void {
    const t = this.totals.get(region);
    if (!t) {
      this.totals.set(region, { count, sum });
      return;
    }
    t.count += count;
    t.sum += sum;
    if (t.count === 0 && t.sum === 0) this.totals.delete(region);
  }
}

export function runDbIvm(w: Workload, shape: ViewShape): DbIvmRun {
  const graph = new D2();
  const orders = graph.newInput<OrderEntry>();
  const customers = graph.newInput<CustomerEntry>();
  const sink = new RegionTotalsSink();
  const joined = orders.pipe(join(customers, 'inner'));
  switch (shape) {
    case 'group':
      joined.pipe(
        groupBy(([, [, region]]: Joined) => ({ region }), {
          n: groupByOperators.count<Joined>(),
          total: groupByOperators.sum<Joined>(([, [[, amount]]]) => amount),
        }),
        output((message) => {
          for (const [[, row], multiplicity] of message.getInner()) sink.add(row.region, row.n * multiplicity, row.total * multiplicity);
        }),
      );
      break;
    case 'join':
      joined.pipe(
        output((message) => {
          for (const [entry, multiplicity] of message.getInner()) {
            const [, [[, amount], region]] = entry as Joined;
            sink.add(region, multiplicity, amount * multiplicity);
          }
        }),
      );
      break;
    default: {
      const never: never = shape;
      throw new Error(`unknown view shape ${String(never)}`);
    }
  }
  graph.finalize();

  let t = nowMs();
  const customerRows: [CustomerEntry, number][] = [];
  for (let c = 0; c < w.customerRegion.length; c++) customerRows.push([[c, w.customerRegion[c]!], 1]);
  customers.sendData(new MultiSet(customerRows));
  const initial = w.initialOrders;
  const orderRows: [OrderEntry, number][] = [];
  for (let k = 0; k < initial.id.length; k++) orderRows.push([[initial.customer[k]!, [initial.id[k]!, initial.amount[k]!]], 1]);
  orders.sendData(new MultiSet(orderRows));
  graph.run();
  const loadMs = nowMs() - t;
  checkTotals('db-ivm (after load)', [...sink.totals].map(([r, v]) => [r, v.count, v.sum]), regionTotals(w, initial));

  const c = w.changes;
  t = nowMs();
  for (const [start, end] of batches(w)) {
    const diff: [OrderEntry, number][] = [];
    for (let i = start; i < end; i++) {
      const kind = c.kind[i] as ChangeKind;
      if (kind !== ChangeKind.Insert) diff.push([[c.prevCustomer[i]!, [c.id[i]!, c.prevAmount[i]!]], -1]);
      if (kind !== ChangeKind.Delete) diff.push([[c.customer[i]!, [c.id[i]!, c.amount[i]!]], 1]);
    }
    orders.sendData(new MultiSet(diff));
    graph.run();
  }
  const streamMs = nowMs() - t;
  checkTotals('db-ivm (after the stream)', [...sink.totals].map(([r, v]) => [r, v.count, v.sum]), regionTotals(w, w.finalOrders));
  return { changesPerSec: (c.length / streamMs) * 1000, loadMs };
}
