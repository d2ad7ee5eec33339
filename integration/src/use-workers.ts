import { afterEach } from 'vitest';
import { plainClient } from './key-client.js';
import { pollUntil } from './poll-until.js';
import type { RedisTarget } from './redis-target.js';
import { spawnWorker, type Worker } from './spawn-worker.js';
import type { WorkerReply } from './worker-protocol.js';

export type GetResult = Extract<WorkerReply, { type: 'result' }>;
export type Stats = Extract<WorkerReply, { type: 'done' }>;

export interface GetOptions {
  /** Concurrent callers in the worker. Default: 1. */
  readonly concurrency?: number;
  /** How long the loader takes. Default: 10 ms. */
  readonly loaderMs?: number;
  /** Default: 60 s. */
  readonly ttlMs?: number;
  /** What the loader returns (with its pid). Default: the file's `value`, else `value-of-<key>`. */
  readonly value?: string;
  /** The loader returns only once `release` is called for the key (after `loaderMs`). */
  readonly hold?: boolean;
}

export interface Workers {
  /** Forks `count` workers, each with its own Conn; every one is closed after the test. */
  spawn(count: number, options?: Parameters<typeof spawnWorker>[1]): Promise<Worker[]>;
  /** `get`s of one key by a worker's callers; the loader counts its calls in Redis (see `loads`). */
  get(worker: Worker, key: string, options?: GetOptions): Promise<GetResult>;
  /** Loader calls for `key` so far, across every worker. */
  loads(key: string): Promise<number>;
  /** Lets the held loaders of `key` (`hold: true`) return, in each of `pool`. */
  release(pool: readonly Worker[], key: string): Promise<void>;
  /** What each of `pool` counted so far: its metrics and the invalidations its driver reported. */
  stats(pool: readonly Worker[]): Promise<Stats[]>;
  /** Resolves once every one of `pool` counted `lockContended` at least `n` times: its callers wait. */
  untilWaiting(pool: readonly Worker[], n?: number): Promise<void>;
  /**
   * Resolves once every one of `pool` heard `key` invalidated (or a flush) more times than in
   * `before` (from `stats`, taken before the write): the write's push has landed everywhere.
   */
  untilHeard(pool: readonly Worker[], key: string, before: readonly Stats[]): Promise<void>;
}

const heard = (stats: Stats, key: string) =>
  (stats.invalidations[key] ?? 0) + (stats.invalidations['*'] ?? 0);

/**
 * Worker processes for a test file (call it at the top level: it adds an `afterEach`).
 * `target` is a Redis URL or a cluster target (`clusterTarget`), or a function returning one
 * when it is only known once a `beforeAll` has run. `defaults.value` is what every `get`
 * loads unless it says otherwise.
 */
export function useWorkers(
  target: RedisTarget | (() => RedisTarget),
  defaults: { readonly value?: string } = {},
): Workers {
  const url = () => (typeof target === 'function' ? target() : target);
  const stats = (pool: readonly Worker[]) =>
    Promise.all(pool.map((w) => w.request({ type: 'stats' }) as Promise<Stats>));
  const workers: Worker[] = [];
  afterEach(async () => {
    await Promise.all(workers.splice(0).map((w) => w.close()));
  });
  return {
    async spawn(count, options = {}) {
      const spawned = await Promise.all(Array.from({ length: count }, () => spawnWorker(url(), options)));
      workers.push(...spawned);
      return spawned;
    },
    get(worker, key, options = {}) {
      return worker.request({
        type: 'get',
        key,
        concurrency: options.concurrency ?? 1,
        ttlMs: options.ttlMs ?? 60_000,
        loaderMs: options.loaderMs ?? 10,
        counterKey: `${key}:loads`,
        value: options.value ?? defaults.value ?? `value-of-${key}`,
        hold: options.hold ?? false,
      }) as Promise<GetResult>;
    },
    async release(pool, key) {
      await Promise.all(pool.map((w) => w.request({ type: 'release', key })));
    },
    stats,
    async untilWaiting(pool, n = 1) {
      await pollUntil(`${pool.length} workers wait`, async () =>
        (await stats(pool)).every((s) => (s.metrics.lockContended ?? 0) >= n),
      );
    },
    async untilHeard(pool, key, before) {
      await pollUntil(`${pool.length} workers hear ${key} invalidated`, async () =>
        (await stats(pool)).every((s, index) => heard(s, key) > heard(before[index]!, key)),
      );
    },
    async loads(key) {
      const client = await plainClient(url());
      const count = Number((await client.get(`${key}:loads`)) ?? 0);
      await client.close();
      return count;
    },
  };
}
