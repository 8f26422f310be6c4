/**
 * A fold pass's keys handed out in sorted order without one big sort: the keys are cut into runs,
 * each run is sorted when asked (`sortSome`, a bounded amount of work per commit), and once all are
 * sorted a k-way merge hands keys out in order (`take`). Keys taken but not yet confirmed stay
 * available (`peek` / `confirm`), so a commit that fails hands the same keys to the next one.
 */
import type { RowKey } from './api.js';

/** Keys per run: a run's sort is the unit of work (about a millisecond). */
export const KEYS_PER_RUN = 2048;

/** String order without the default sort's conversions (about 2.4x faster on a million keys). */
export const byCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export class SortedKeyRuns {
  private readonly runs: RowKey[][] = [];
  private sortedRuns = 0;
  /** Merge heap over runs not yet exhausted: run index and position of its next key; built once all runs are sorted. */
  private heapRun: Int32Array | null = null;
  private heapPos: Int32Array | null = null;
  private heapSize = 0;
  /** Keys taken from the merge, in order; those before `next` are confirmed. */
  private ready: RowKey[] = [];
  private next = 0;
  private confirmedCount = 0;
  readonly size: number;

  constructor(keys: Iterable<RowKey>) {
    let run: RowKey[] = [];
    let n = 0;
    for (const k of keys) {
      run.push(k);
      n++;
      if (run.length === KEYS_PER_RUN) {
        this.runs.push(run);
        run = [];
      }
    }
    if (run.length > 0) this.runs.push(run);
    this.size = n;
  }

  get confirmed(): number {
    return this.confirmedCount;
  }

  get sorted(): boolean {
    return this.sortedRuns === this.runs.length;
  }

  /** Sorts runs until about `keys` keys were sorted (at least one run, when any is left); returns how many. */
  sortSome(keys: number): number {
    let done = 0;
    while (this.sortedRuns < this.runs.length && (done === 0 || done < keys)) {
      const run = this.runs[this.sortedRuns++]!;
      run.sort(byCodeUnits);
      done += run.length;
    }
    return done;
  }

  /** The next up to `n` unconfirmed keys in order (a view valid until `confirm`). Needs `sorted`. */
  peek(n: number): { readonly keys: readonly RowKey[]; readonly from: number; readonly to: number } {
    if (!this.sorted) throw new Error('sorted key runs: peek before every run is sorted');
    if (this.heapRun === null) this.buildHeap();
    while (this.ready.length - this.next < n && this.heapSize > 0) this.ready.push(this.pop());
    return { keys: this.ready, from: this.next, to: Math.min(this.ready.length, this.next + n) };
  }

  /** The first `n` keys of the last `peek` are written for good. */
  confirm(n: number): void {
    this.next += n;
    this.confirmedCount += n;
    if (this.next > KEYS_PER_RUN && this.next * 2 > this.ready.length) {
      this.ready = this.ready.slice(this.next);
      this.next = 0;
    }
  }

  /** Every key not confirmed yet, in no particular order. */
  unconfirmed(): RowKey[] {
    const out = this.ready.slice(this.next);
    if (this.heapRun === null) {
      for (const run of this.runs) for (const k of run) out.push(k);
      return out;
    }
    for (let h = 0; h < this.heapSize; h++) {
      const run = this.runs[this.heapRun[h]!]!;
      for (let p = this.heapPos![h]!; p < run.length; p++) out.push(run[p]!);
    }
    return out;
  }

  private buildHeap(): void {
    const k = this.runs.length;
    this.heapRun = new Int32Array(k);
    this.heapPos = new Int32Array(k);
    for (let r = 0; r < k; r++) {
      this.heapRun[r] = r;
      this.heapPos[r] = 0;
    }
    this.heapSize = k;
    for (let h = (k >> 1) - 1; h >= 0; h--) this.siftDown(h);
  }

  private keyAt(h: number): RowKey {
    return this.runs[this.heapRun![h]!]![this.heapPos![h]!]!;
  }

  private pop(): RowKey {
    const key = this.keyAt(0);
    const run = this.runs[this.heapRun![0]!]!;
    const nextPos = this.heapPos![0]! + 1;
    this.heapPos![0] = nextPos;
    if (nextPos >= run.length) {
      this.heapSize--;
      this.heapRun![0] = this.heapRun![this.heapSize]!;
      this.heapPos![0] = this.heapPos![this.heapSize]!;
    }
    if (this.heapSize > 0) this.siftDown(0);
    return key;
  }

  private siftDown(start: number): void {
    const runs = this.heapRun!;
    const pos = this.heapPos!;
    let h = start;
    for (;;) {
      const l = 2 * h + 1;
      if (l >= this.heapSize) return;
      const r = l + 1;
      const c = r < this.heapSize && this.keyAt(r) < this.keyAt(l) ? r : l;
      if (!(this.keyAt(c) < this.keyAt(h))) return;
      const tr = runs[h]!;
      const tp = pos[h]!;
      runs[h] = runs[c]!;
      pos[h] = pos[c]!;
      runs[c] = tr;
      pos[c] = tp;
      h = c;
    }
  }
}
