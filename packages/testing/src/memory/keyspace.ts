import { ExpiryQueue } from './expiry-queue.js';

/** A stored string: its bytes, and when it expires (ms on the server's clock), if ever. */
export interface Entry {
  readonly value: Uint8Array;
  readonly expiresAt: number | undefined;
}

/**
 * The keys of a memory Redis. A key expires when the clock is past its deadline
 * (`now > expiresAt`, as Redis decides it): it is removed when it is next looked up or by
 * `sweep`, and `onExpired` is told, so trackers hear of it like any other change.
 */
export class Keyspace {
  readonly #entries = new Map<string, Entry>();
  /** When each key came in (a counter): `#entries` holds keys in this order, so a `scan` cursor is one. */
  readonly #arrivals = new Map<string, number>();
  #arrived = 0;
  readonly #deadlines = new ExpiryQueue();
  readonly #onExpired: (key: string) => void;

  constructor(onExpired: (key: string) => void) {
    this.#onExpired = onExpired;
  }

  get size(): number {
    return this.#entries.size;
  }

  keys(): IterableIterator<string> {
    return this.#entries.keys();
  }

  /** The live entry of `key` at `now`; an expired one is removed (and reported) first. */
  get(key: string, now: number): Entry | undefined {
    const entry = this.#entries.get(key);
    if (entry?.expiresAt !== undefined && now > entry.expiresAt) {
      this.delete(key);
      this.#onExpired(key);
      return undefined;
    }
    return entry;
  }

  set(key: string, value: Uint8Array, expiresAt: number | undefined): void {
    if (!this.#entries.has(key)) this.#arrivals.set(key, ++this.#arrived);
    this.#entries.set(key, { value, expiresAt });
    if (expiresAt !== undefined) this.#deadlines.push(key, expiresAt);
  }

  delete(key: string): boolean {
    this.#arrivals.delete(key);
    return this.#entries.delete(key);
  }

  /**
   * One `SCAN` step: up to `count` keys that came in after `cursor` (0: from the start), in the
   * order they came in, and the cursor to go on from (0 once every key was visited). A key
   * stored from the first step to the last is visited once; one deleted and stored again
   * meanwhile may be visited twice, as on Redis. Expired keys are skipped (`now`).
   */
  scan(cursor: number, count: number, now: number): { cursor: number; keys: string[] } {
    const keys: string[] = [];
    let last = cursor;
    for (const [key, arrival] of this.#arrivals) {
      if (arrival <= cursor) continue;
      if (keys.length === count) return { cursor: last, keys };
      last = arrival;
      const entry = this.#entries.get(key);
      if (entry?.expiresAt === undefined || now <= entry.expiresAt) keys.push(key);
    }
    return { cursor: 0, keys };
  }

  /** Removes every key past its deadline at `now`, reporting each. */
  sweep(now: number): void {
    for (let due = this.#deadlines.peek(); due !== undefined && now > due.at; due = this.#deadlines.peek()) {
      this.#deadlines.pop();
      if (this.#entries.get(due.key)?.expiresAt === due.at) this.get(due.key, now);
    }
  }

  /** The earliest deadline still in force, if any. */
  nextDeadline(): number | undefined {
    for (let due = this.#deadlines.peek(); due !== undefined; due = this.#deadlines.peek()) {
      if (this.#entries.get(due.key)?.expiresAt === due.at) return due.at;
      this.#deadlines.pop();
    }
    return undefined;
  }

  clear(): void {
    this.#entries.clear();
    this.#arrivals.clear();
    this.#deadlines.clear();
  }
}
