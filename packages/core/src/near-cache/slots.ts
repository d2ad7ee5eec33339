import type { Throttle } from './entry.js';

const NONE = -1;
const FIRST_CAPACITY = 64;

/**
 * The near cache's storage: one slot per entry, its hot fields in parallel typed arrays
 * (expiry, fallback limit, CLOCK bit, byte size, compute time, last visit) and its references
 * in plain arrays (the key, the decoded value and its codec, the stored bytes if kept, a
 * throttle): no object per entry. Slots sit on a list in insertion order, oldest first, which
 * is the order the CLOCK hand visits them (`next`/`prev` as indexes); a slot let go goes on a
 * free list (threaded through `next`: a free slot is on no other list) and is reused before
 * the arrays grow. The arrays grow by half up to `maxSlots`, so a cache that stays small stays
 * small and a full one wastes at most a third of its slots.
 *
 * Stored bytes and throttles are rare (refresh-ahead, fail-safe): their arrays are written
 * only up to the last slot that had one, so without those features they stay empty.
 *
 * Fields are public for the near cache's hot path; nothing outside `near-cache/` uses them.
 */
export class Slots {
  expiresAt: Float64Array;
  keepUntil: Float64Array;
  staleMs: Float64Array;
  deltaNs: Float64Array;
  bytes: Uint32Array;
  used: Uint8Array;
  /** The last multi-key lookup that visited each slot (`NearCache.visitOnce`). */
  visits: Uint32Array;
  readonly keys: Array<string | undefined> = [];
  readonly values: unknown[] = [];
  readonly codecs: Array<object | undefined> = [];
  readonly #raws: Array<Uint8Array | undefined> = [];
  readonly #throttles: Array<Throttle | undefined> = [];
  #next: Int32Array;
  #prev: Int32Array;
  #freeHead = NONE;
  #highWater = 0;
  #head = NONE;
  #tail = NONE;
  readonly #maxSlots: number;

  constructor(maxSlots: number) {
    this.#maxSlots = maxSlots;
    const capacity = Math.min(maxSlots, FIRST_CAPACITY);
    this.expiresAt = new Float64Array(capacity);
    this.keepUntil = new Float64Array(capacity);
    this.staleMs = new Float64Array(capacity);
    this.deltaNs = new Float64Array(capacity);
    this.bytes = new Uint32Array(capacity);
    this.used = new Uint8Array(capacity);
    this.visits = new Uint32Array(capacity);
    this.#next = new Int32Array(capacity);
    this.#prev = new Int32Array(capacity);
  }

  /** The oldest slot on the list (where the CLOCK hand is), or -1 when empty. */
  get head(): number {
    return this.#head;
  }

  /** The slot after `slot` on the list, or -1 at the end. */
  next(slot: number): number {
    return this.#next[slot]!;
  }

  /** The stored bytes `slot` keeps, if any. */
  rawAt(slot: number): Uint8Array | undefined {
    return this.#raws[slot];
  }

  /** The throttle on `slot`, if any. */
  throttleAt(slot: number): Throttle | undefined {
    return this.#throttles[slot];
  }

  setThrottle(slot: number, throttle: Throttle | undefined): void {
    put(this.#throttles, slot, throttle);
  }

  /** A slot for a new entry, appended as the newest; the caller fills its other fields. */
  take(key: string, value: unknown, codec: object, raw: Uint8Array | undefined): number {
    let slot = this.#freeHead;
    if (slot !== NONE) this.#freeHead = this.#next[slot]!;
    else {
      if (this.#highWater === this.used.length) this.#grow();
      slot = this.#highWater++;
    }
    this.keys[slot] = key;
    this.values[slot] = value;
    this.codecs[slot] = codec;
    put(this.#raws, slot, raw);
    put(this.#throttles, slot, undefined);
    this.used[slot] = 0;
    this.#append(slot);
    return slot;
  }

  /** Lets `slot` go: off the list, its references dropped, onto the free list. */
  release(slot: number): void {
    this.#unlink(slot);
    this.keys[slot] = undefined;
    this.values[slot] = undefined;
    this.codecs[slot] = undefined;
    put(this.#raws, slot, undefined);
    put(this.#throttles, slot, undefined);
    this.#next[slot] = this.#freeHead;
    this.#freeHead = slot;
  }

  /** Moves `slot` to the end of the list (a second chance: visited last from now). */
  toBack(slot: number): void {
    if (slot === this.#tail) return;
    this.#unlink(slot);
    this.#append(slot);
  }

  /** Every slot let go at once; the arrays keep their size. */
  clear(): void {
    this.keys.length = 0;
    this.values.length = 0;
    this.codecs.length = 0;
    this.#raws.length = 0;
    this.#throttles.length = 0;
    this.#freeHead = NONE;
    this.#highWater = 0;
    this.#head = NONE;
    this.#tail = NONE;
  }

  #append(slot: number): void {
    this.#prev[slot] = this.#tail;
    this.#next[slot] = NONE;
    if (this.#tail === NONE) this.#head = slot;
    else this.#next[this.#tail] = slot;
    this.#tail = slot;
  }

  #unlink(slot: number): void {
    const prev = this.#prev[slot]!;
    const next = this.#next[slot]!;
    if (prev === NONE) this.#head = next;
    else this.#next[prev] = next;
    if (next === NONE) this.#tail = prev;
    else this.#prev[next] = prev;
  }

  #grow(): void {
    const capacity = Math.min(this.#maxSlots, Math.ceil(this.used.length * 1.5));
    this.expiresAt = grown(this.expiresAt, new Float64Array(capacity));
    this.keepUntil = grown(this.keepUntil, new Float64Array(capacity));
    this.staleMs = grown(this.staleMs, new Float64Array(capacity));
    this.deltaNs = grown(this.deltaNs, new Float64Array(capacity));
    this.bytes = grown(this.bytes, new Uint32Array(capacity));
    this.used = grown(this.used, new Uint8Array(capacity));
    this.visits = grown(this.visits, new Uint32Array(capacity));
    this.#next = grown(this.#next, new Int32Array(capacity));
    this.#prev = grown(this.#prev, new Int32Array(capacity));
  }
}

/** Writes a rare field: undefined past the array's end is left unwritten (the array stays short). */
function put<T>(array: Array<T | undefined>, slot: number, value: T | undefined): void {
  if (value !== undefined || slot < array.length) array[slot] = value;
}

function grown<T extends Float64Array | Int32Array | Uint32Array | Uint8Array>(old: T, bigger: T): T {
  bigger.set(old);
  return bigger;
}
