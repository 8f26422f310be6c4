/**
 * Per-event random numbers for the Nexmark generator: the draws for event n come from a state
 * derived from (seed, n) alone, so any event can be generated without generating the ones before
 * it (a restarted source resumes at its offset and sees the same events). 32-bit arithmetic only
 * (Math.imul): a splitmix-style stream over a murmur3-finalised (seed, n) hash. Never Math.random.
 */

/** murmur3's 32-bit finaliser: a bijection on uint32 with full avalanche. */
function fmix32(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

const TWO_POW_32 = 4294967296;
const TWO_POW_53 = 9007199254740992;
/** Largest bound for which `int` is exact (u32 * bound stays below 2^53). */
const INT_EXACT_BOUND = 1 << 21;

export class EventRandom {
  private readonly seedA: number;
  private readonly seedB: number;
  private state = 0;

  constructor(seed: bigint) {
    const s = BigInt.asUintN(64, seed);
    const lo = Number(s & 0xffffffffn);
    const hi = Number(s >> 32n);
    // Both halves of the per-event hash depend on the whole seed, so seeds that differ by k never
    // give streams that are the same draws shifted by k events.
    this.seedA = fmix32(lo ^ fmix32(hi ^ 0x3c6ef372));
    this.seedB = fmix32(this.seedA ^ 0xa54ff53a ^ hi);
  }

  /** Positions the stream at the first draw of event `eventNumber` (a safe non-negative integer). */
  resetFor(eventNumber: number): void {
    const lo = eventNumber >>> 0;
    const hi = Math.floor(eventNumber / TWO_POW_32) >>> 0;
    this.state = fmix32((fmix32((lo + this.seedA) >>> 0) ^ Math.imul(hi, 0x9e3779b1) ^ this.seedB) >>> 0);
  }

  /** Next uniform uint32. */
  u32(): number {
    this.state = (this.state + 0x9e3779b9) | 0;
    let z = this.state;
    z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
    z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
    return (z ^ (z >>> 15)) >>> 0;
  }

  /** Uniform integer in [0, bound), bound a positive integer up to 2^21 (one draw). */
  int(bound: number): number {
    return Math.floor((this.u32() * bound) / TWO_POW_32);
  }

  /** Uniform in [0, 1) with 32 bits of precision (one draw). */
  unit(): number {
    return this.u32() / TWO_POW_32;
  }

  /** Uniform integer in [0, bound) for any positive safe integer bound (two draws when large). */
  long(bound: number): number {
    if (bound <= INT_EXACT_BOUND) return this.int(bound);
    const hi = this.u32() >>> 5; // 27 bits
    const lo = this.u32() >>> 6; // 26 bits
    return Math.floor(((hi * 67108864 + lo) / TWO_POW_53) * bound);
  }
}
