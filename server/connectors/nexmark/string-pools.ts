/**
 * The strings Nexmark events are made of, built once so that generating an event mostly picks
 * pre-made strings: person names, cities and states (the standard's small lists, so queries that
 * filter on them find rows), credit-card groups, bid channels with their URLs, and per-seed pools of
 * random text that random-length fields are cut from (a slice of a long string costs no copy in V8).
 */
import { EventRandom } from './event-random.js';

const FIRST_NAMES = ['Peter', 'Paul', 'Luke', 'John', 'Saul', 'Vicky', 'Kate', 'Julie', 'Sarah', 'Deiter', 'Walter'];
const LAST_NAMES = ['Shultz', 'Abrams', 'Spencer', 'White', 'Bartels', 'Walton', 'Smith', 'Jones', 'Noris'];

/** Every "First Last" pair, so a name is one pick. */
export const PERSON_NAMES: readonly string[] = FIRST_NAMES.flatMap((f) => LAST_NAMES.map((l) => `${f} ${l}`));
export const US_STATES: readonly string[] = ['AZ', 'CA', 'ID', 'OR', 'WA', 'WY'];
export const US_CITIES: readonly string[] = [
  'Phoenix', 'Los Angeles', 'San Francisco', 'Boise', 'Portland', 'Bend', 'Redmond', 'Seattle', 'Kent', 'Cheyenne',
];

/** "0000" .. "9999": the four groups of a credit-card number. */
export const CARD_GROUPS: readonly string[] = Array.from({ length: 10_000 }, (_, i) => String(i).padStart(4, '0'));

export const HOT_CHANNELS: readonly string[] = ['Google', 'Facebook', 'Baidu', 'Apple'];
export const CHANNEL_COUNT = 10_000;

/** Channel names and URLs: the hot ones, and the generic "channel-i" set. Fixed for all seeds. */
export interface ChannelPool {
  readonly hotUrls: readonly string[];
  readonly names: readonly string[];
  readonly urls: readonly string[];
}

/** A fixed seed for the channel URLs: they are a universe like the city list, not per-run data. */
const CHANNEL_URL_SEED = 0x6e65786d61726bn; // "nexmark"

function urlSegment(r: EventRandom): string {
  // Three or four characters, an underscore now and then, as the standard's URL segments.
  const len = 3 + r.int(2);
  let s = '';
  for (let i = 0; i < len; i++) s += r.int(13) === 0 ? '_' : String.fromCharCode(97 + r.int(26));
  return s;
}

function baseUrl(r: EventRandom): string {
  return `https://www.nexmark.com/${urlSegment(r)}/${urlSegment(r)}/${urlSegment(r)}/item.htm?query=1`;
}

/** Bits of a 32-bit integer in reverse order, as a signed 32-bit value. */
function reverseBits32(x: number): number {
  let r = 0;
  for (let i = 0; i < 32; i++) {
    r = (r << 1) | (x & 1);
    x >>>= 1;
  }
  return r | 0;
}

let channelPool: ChannelPool | null = null;

export function channels(): ChannelPool {
  if (channelPool !== null) return channelPool;
  const r = new EventRandom(CHANNEL_URL_SEED);
  const hotUrls: string[] = [];
  for (let i = 0; i < HOT_CHANNELS.length; i++) {
    r.resetFor(CHANNEL_COUNT + i);
    hotUrls.push(baseUrl(r));
  }
  const names: string[] = [];
  const urls: string[] = [];
  for (let i = 0; i < CHANNEL_COUNT; i++) {
    r.resetFor(i);
    let url = baseUrl(r);
    // Nine in ten generic channels carry a channel id in the URL (Nexmark q14-style parsing).
    if (r.int(10) > 0) url += `&channel_id=${Math.abs(reverseBits32(i))}`;
    names.push(`channel-${i}`);
    urls.push(url);
  }
  channelPool = { hotUrls, names, urls };
  return channelPool;
}

/**
 * Long random strings for one seed: `letters` (a-z) and `words` (a-z with a space about one
 * character in 13, like the standard's item names). Fields are substrings at random offsets.
 */
export class TextPool {
  private readonly letterText: string;
  private readonly wordText: string;
  private readonly size: number;

  /** `longest` is the longest field that will be cut; the pool is much longer than that. */
  constructor(seed: bigint, longest: number) {
    this.size = Math.max(1 << 16, 4 * longest + 1024);
    const r = new EventRandom(seed ^ 0x7465787470n); // "textp": a stream apart from the events'
    r.resetFor(0);
    const letters = new Array<string>(this.size);
    const words = new Array<string>(this.size);
    for (let i = 0; i < this.size; i++) {
      letters[i] = String.fromCharCode(97 + r.int(26));
      words[i] = r.int(13) === 0 ? ' ' : String.fromCharCode(97 + r.int(26));
    }
    this.letterText = letters.join('');
    this.wordText = words.join('');
  }

  /** Exactly `length` letters. */
  letters(r: EventRandom, length: number): string {
    const at = r.long(this.size - length);
    return this.letterText.substring(at, at + length);
  }

  /** Letters and spaces, 3 to maxLength - 1 characters before trimming (the standard's nextString). */
  words(r: EventRandom, maxLength: number): string {
    const length = 3 + r.int(maxLength - 3);
    const at = r.long(this.size - length);
    return this.wordText.substring(at, at + length).trim();
  }
}
