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
      this.#entries.delete(key);
      this.#onExpired(key);
      return undefined;
    }
    return entry;
  }

  set(key: string, value: Uint8Array, expiresAt: number | undefined): void {
    this.#entries.set(key, { value, expiresAt });
    if (expiresAt !== undefined) this.#deadlines.push(key, expiresAt);
  }

  delete(key: string): boolean {
    return this.#entries.delete(key);
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
    this.#deadlines.clear();
  }
}
