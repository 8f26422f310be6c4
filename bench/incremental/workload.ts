/**
 * The benchmark's data and change stream, generated deterministically from a seed: customers with a
 * region, an initial set of orders, and a stream of order changes (insert, update of amount, update of
 * customer, delete) cut into batches in which each order id appears at most once. Also computes the
 * expected contents of the benchmark views, so every system's result can be checked.
 */

export const enum ChangeKind {
  Insert = 0,
  UpdateAmount = 1,
  UpdateCustomer = 2,
  Delete = 3,
}

export interface WorkloadSpec {
  readonly customers: number;
  readonly regions: number;
  readonly initialOrders: number;
  readonly changes: number;
  readonly batchSize: number;
  readonly seed: number;
}

/** Changes stored by column; `prev*` hold the row before the change (unused for inserts). */
export interface ChangeStream {
  readonly length: number;
  readonly kind: Uint8Array;
  readonly id: Int32Array;
  readonly customer: Int32Array;
  readonly amount: Int32Array;
  readonly prevCustomer: Int32Array;
  readonly prevAmount: Int32Array;
}

export interface Workload {
  readonly spec: WorkloadSpec;
  /** region of customer i (customer ids are 0..customers-1). */
  readonly customerRegion: Int32Array;
  readonly initialOrders: OrderRows;
  readonly changes: ChangeStream;
  /** The orders after every change, by id ascending. */
  readonly finalOrders: OrderRows;
}

export interface OrderRows {
  readonly id: Int32Array;
  readonly customer: Int32Array;
  readonly amount: Int32Array;
}

/** Per region: number of orders and sum of amounts (regions with no orders are absent). */
export type RegionTotals = Map<number, { count: number; sum: number }>;

/** mulberry32: a small, fast, seedable PRNG (uniform in [0, 1)). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Share of each change kind in the stream, in ChangeKind order. */
const MIX = [0.3, 0.3, 0.2, 0.2] as const;
const MAX_AMOUNT = 1000;

export function generateWorkload(spec: WorkloadSpec): Workload {
  const random = rng(spec.seed);
  const int = (n: number) => Math.floor(random() * n);
  const customerRegion = new Int32Array(spec.customers);
  for (let c = 0; c < spec.customers; c++) customerRegion[c] = int(spec.regions);

  // Live orders: dense arrays indexed by id, plus a swap-remove list of live ids to pick from.
  const capacity = spec.initialOrders + spec.changes + 1;
  const liveCustomer = new Int32Array(capacity).fill(-1);
  const liveAmount = new Int32Array(capacity);
  const liveIds = new Int32Array(capacity);
  const slotOf = new Int32Array(capacity).fill(-1);
  let liveCount = 0;
  const addLive = (id: number, customer: number, amount: number) => {
    liveCustomer[id] = customer;
    liveAmount[id] = amount;
    slotOf[id] = liveCount;
    liveIds[liveCount++] = id;
  };
  const removeLive = (id: number) => {
    const slot = slotOf[id]!;
    const lastId = liveIds[--liveCount]!;
    liveIds[slot] = lastId;
    slotOf[lastId] = slot;
    slotOf[id] = -1;
    liveCustomer[id] = -1;
  };

  let nextId = 0;
  for (; nextId < spec.initialOrders; nextId++) addLive(nextId, int(spec.customers), 1 + int(MAX_AMOUNT));
  const initialOrders = collect(liveCustomer, liveAmount, nextId);

  const n = spec.changes;
  const changes: ChangeStream = {
    length: n,
    kind: new Uint8Array(n),
    id: new Int32Array(n),
    customer: new Int32Array(n),
    amount: new Int32Array(n),
    prevCustomer: new Int32Array(n),
    prevAmount: new Int32Array(n),
  };
  const touched = new Set<number>();
  for (let i = 0; i < n; i++) {
    if (i % spec.batchSize === 0) touched.clear();
    const r = random();
    let kind = r < MIX[0] ? ChangeKind.Insert : r < MIX[0] + MIX[1] ? ChangeKind.UpdateAmount : r < MIX[0] + MIX[1] + MIX[2] ? ChangeKind.UpdateCustomer : ChangeKind.Delete;
    if (kind !== ChangeKind.Insert && liveCount <= touched.size) kind = ChangeKind.Insert;
    let id: number;
    if (kind === ChangeKind.Insert) {
      id = nextId++;
    } else {
      do id = liveIds[int(liveCount)]!; while (touched.has(id));
    }
    touched.add(id);
    changes.kind[i] = kind;
    changes.id[i] = id;
    changes.prevCustomer[i] = liveCustomer[id]!;
    changes.prevAmount[i] = liveAmount[id]!;
    switch (kind) {
      case ChangeKind.Insert:
        changes.customer[i] = int(spec.customers);
        changes.amount[i] = 1 + int(MAX_AMOUNT);
        addLive(id, changes.customer[i]!, changes.amount[i]!);
        break;
      case ChangeKind.UpdateAmount:
        changes.customer[i] = liveCustomer[id]!;
        changes.amount[i] = 1 + int(MAX_AMOUNT);
        liveAmount[id] = changes.amount[i]!;
        break;
      case ChangeKind.UpdateCustomer:
        changes.customer[i] = int(spec.customers);
        changes.amount[i] = liveAmount[id]!;
        liveCustomer[id] = changes.customer[i]!;
        break;
      case ChangeKind.Delete:
        changes.customer[i] = -1;
        changes.amount[i] = 0;
        removeLive(id);
        break;
      default: {
        const never: never = kind;
        throw new Error(`unknown change kind ${String(never)}`);
      }
    }
  }
  return { spec, customerRegion, initialOrders, changes, finalOrders: collect(liveCustomer, liveAmount, nextId) };
}

function collect(liveCustomer: Int32Array, liveAmount: Int32Array, idLimit: number): OrderRows {
  let count = 0;
  for (let id = 0; id < idLimit; id++) if (liveCustomer[id]! >= 0) count++;
  const rows: OrderRows = { id: new Int32Array(count), customer: new Int32Array(count), amount: new Int32Array(count) };
  let k = 0;
  for (let id = 0; id < idLimit; id++) {
    if (liveCustomer[id]! < 0) continue;
    rows.id[k] = id;
    rows.customer[k] = liveCustomer[id]!;
    rows.amount[k] = liveAmount[id]!;
    k++;
  }
  return rows;
}

/** The expected contents of the join + group-by view over `orders`. */
export function regionTotals(workload: Workload, orders: OrderRows): RegionTotals {
  const totals: RegionTotals = new Map();
  for (let k = 0; k < orders.id.length; k++) {
    const region = workload.customerRegion[orders.customer[k]!]!;
    const t = totals.get(region);
    if (t) {
      t.count++;
      t.sum += orders.amount[k]!;
    } else {
      totals.set(region, { count: 1, sum: orders.amount[k]! });
    }
  }
  return totals;
}

/** Half-open [start, end) change ranges of each batch. */
export function* batches(workload: Workload): Iterable<[number, number]> {
  const { batchSize } = workload.spec;
  for (let start = 0; start < workload.changes.length; start += batchSize) {
    yield [start, Math.min(start + batchSize, workload.changes.length)];
  }
}
