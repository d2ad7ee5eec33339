import { type Cache, type Driver, LockLostError, NoopMetrics } from '@redcache/core';
import { wallClockMs } from '@redcache/fleet';
import { directGet } from './coherence-conn.js';
import type { KeyMutex } from './coherence-key-mutex.js';
import type { CoherenceLedger, Violation } from './coherence-ledger.js';
import { formatStressValue, versionOf, versionOfStored } from './coherence-value.js';

/** Long enough that no value expires during a run: keys change only by the run's writes. */
export const STRESS_TTL = '10m';

/**
 * Metrics that tell a near-cache hit from the rest: the engine counts a near hit inside the
 * `get` call itself, before it returns, and any other hit later. `during(call)` runs `call`
 * and says whether a hit was counted meanwhile. `onLockLost` hears each compare-and-set that
 * found its lock gone (it wrote nothing), as the engine reports it, at once.
 */
export class NearHitProbe extends NoopMetrics {
  onLockLost: (key: string) => void = () => {};
  #watching = false;
  #hit = false;

  override cacheHits(): void {
    if (this.#watching) this.#hit = true;
  }

  override lockLost(key: string): void {
    this.onLockLost(key);
  }

  during<T>(call: () => T): { readonly result: T; readonly nearHit: boolean } {
    this.#watching = true;
    this.#hit = false;
    try {
      return { result: call(), nearHit: this.#hit };
    } finally {
      this.#watching = false;
    }
  }
}

/** The counts of a worker's run. */
export interface OperationCounts {
  reads: number;
  nearHits: number;
  sampledReads: number;
  directGets: number;
  writes: { set: number; forceSet: number; del: number };
  lockLost: number;
  loads: number;
}

export interface StressParts {
  readonly cache: Cache<string, string>;
  readonly driver: Driver;
  readonly mutex: KeyMutex;
  readonly ledger: CoherenceLedger;
  readonly probe: NearHitProbe;
  readonly writerId: string;
  readonly lockPrefix: string;
}

/**
 * A worker's operations on its Conn, each recorded in its ledger: checked `get`s, writes that
 * take a version under the key's writer mutex, and direct `GET`s past the near cache.
 */
export class StressOperations {
  readonly counts: OperationCounts = {
    reads: 0,
    nearHits: 0,
    sampledReads: 0,
    directGets: 0,
    writes: { set: 0, forceSet: 0, del: 0 },
    lockLost: 0,
    loads: 0,
  };
  readonly #parts: StressParts;
  /**
   * Per key, the writer mutex a loader of this process holds until its compare-and-set is
   * answered: released when the call is, or at once when the engine reports the lock lost.
   * One at most per key: the mutex admits one holder.
   */
  /**
   * Per key, the writer mutex a loader of this process holds until its compare-and-set is
   * answered, and the call it belongs to: released when that call is answered, or at once when
   * the engine reports the lock lost. One at most per key: the mutex admits one holder.
   */
  readonly #loaderHolds = new Map<string, { readonly call: object; readonly release: () => Promise<void> }>();
  #counter = 0;

  constructor(parts: StressParts) {
    this.#parts = parts;
    parts.probe.onLockLost = (key) => {
      void this.#releaseLoaderHold(key).catch(() => {});
    };
  }

  /**
   * The hold of `key`'s mutex by a loader of `call` (taken once, however often the engine calls
   * the loader). A fill whose lock was lost waits, mutex held, for whoever took the key: if
   * that is a `set` whose loader waits for the mutex, neither would go on. So a lost
   * compare-and-set (which wrote nothing) lets the mutex go at once.
   */
  async #loaderHold(key: string, call: object): Promise<void> {
    if (this.#loaderHolds.get(key)?.call === call) return;
    const hold = await this.#parts.mutex.acquire(key);
    let released: Promise<void> | undefined;
    this.#loaderHolds.set(key, {
      call,
      release: () => {
        released ??= hold.release();
        return released;
      },
    });
  }

  /** Releases the loader hold of `key`: `call`'s only, when given. */
  async #releaseLoaderHold(key: string, call?: object): Promise<void> {
    const entry = this.#loaderHolds.get(key);
    if (entry === undefined || (call !== undefined && entry.call !== call)) return;
    this.#loaderHolds.delete(key);
    await entry.release();
  }

  #value(version: number): string {
    return formatStressValue({ version, writer: this.#parts.writerId, counter: ++this.#counter });
  }

  /**
   * A `get` of `key`, checked against what the process knew when it began. Its loader (a key a
   * `del` left empty) takes the key's writer mutex and a version, and keeps the mutex until the
   * `get` is answered, i.e. until its compare-and-set has landed.
   */
  async read(key: string, sampled: boolean): Promise<{ text: string; violation?: Violation }> {
    const { cache, mutex, ledger, probe } = this.#parts;
    const floor = ledger.floor(key);
    const startMs = wallClockMs();
    const call = {};
    const loader = async () => {
      await this.#loaderHold(key, call);
      this.counts.loads++;
      return this.#value(await mutex.nextVersion());
    };
    const { result, nearHit } = probe.during(() => cache.get(key, STRESS_TTL, loader));
    let text: string;
    try {
      text = await result;
    } finally {
      await this.#releaseLoaderHold(key, call);
    }
    this.counts.reads++;
    if (nearHit) this.counts.nearHits++;
    if (sampled) this.counts.sampledReads++;
    const violation = ledger.check(key, floor, versionOf(text), { startMs, nearHit, sampled });
    return violation === undefined ? { text } : { text, violation };
  }

  /** `GET key` on the Conn's own connection, learned as `direct`; the version, if a value is there. */
  async direct(key: string): Promise<number | undefined> {
    const version = versionOfStored(await directGet(this.#parts.driver, key), this.#parts.lockPrefix);
    this.counts.directGets++;
    if (version !== undefined) this.#parts.ledger.learn(key, version, 'direct');
    return version;
  }

  /** `forceSet` of a new version, under the writer mutex. */
  async forceSet(key: string): Promise<void> {
    const { cache, mutex, ledger } = this.#parts;
    const version = await mutex.withVersion(key, async (next) => {
      await cache.forceSet(key, STRESS_TTL, this.#value(next));
      return next;
    });
    this.counts.writes.forceSet++;
    ledger.learn(key, version, 'write');
  }

  /** `del`, under the writer mutex; its version stands for the empty key it leaves. */
  async del(key: string): Promise<void> {
    const { cache, mutex, ledger } = this.#parts;
    const version = await mutex.withVersion(key, async (next) => {
      await cache.del(key);
      return next;
    });
    this.counts.writes.del++;
    ledger.learn(key, version, 'del');
  }

  /**
   * `set`: its loader runs under the engine's write lock, and takes the writer mutex and a
   * version there (taking the mutex first could wait forever on a read lock whose loader waits
   * for the mutex). The mutex is held until `set` is answered. A `LockLostError` (a `forceSet`
   * or `del` took the key first) wrote nothing: counted, not learned.
   */
  async set(key: string): Promise<void> {
    const { cache, mutex, ledger } = this.#parts;
    const call = {};
    let written: number | undefined;
    try {
      await cache.set(key, STRESS_TTL, async () => {
        await this.#loaderHold(key, call);
        written = await mutex.nextVersion();
        return this.#value(written);
      });
    } catch (error) {
      if (!(error instanceof LockLostError)) throw error;
      this.counts.lockLost++;
      return;
    } finally {
      await this.#releaseLoaderHold(key, call);
    }
    this.counts.writes.set++;
    ledger.learn(key, written!, 'write');
  }
}
