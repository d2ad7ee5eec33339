import type { ChildProcess } from 'node:child_process';
import type { CallOptions, Options } from '@redcache/core';
import { type Channel, forkChild } from '@redcache/fleet';

/** What a fail-safe worker's loader does. */
export type FailSafeLoader =
  /** Returns `value` after `loaderMs`. */
  | 'value'
  /** Throws after `loaderMs`. */
  | 'throw'
  /** Returns `value` only once the parent sends `release` for the key (ignores its signal). */
  | 'hold'
  /** Never returns; rejects when its signal aborts (counted as `aborted`). */
  | 'hang';

export type FailSafeRequest =
  | {
      readonly type: 'get';
      readonly key: string;
      readonly concurrency: number;
      readonly ttlMs: number;
      readonly loader: FailSafeLoader;
      readonly loaderMs: number;
      readonly value: string;
      readonly opts?: Omit<CallOptions, 'signal'>;
    }
  | { readonly type: 'release'; readonly key: string }
  | { readonly type: 'stats' };

export interface FailSafeReply {
  /** Per caller: the value, or `error:<name>:<message>` (only for `get`). */
  readonly values: string[];
  /** From the first call to the last settled (only for `get`). */
  readonly elapsedMs: number;
  /** Loader calls for each key so far, in this process. */
  readonly loaderCalls: Record<string, number>;
  /** Loaders whose signal aborted, by key. */
  readonly aborted: Record<string, number>;
  /** Metrics events counted so far: `failSafeServed:<cause>`, `degradedLoads`, `loaderTimedOut:<kind>`, `redisDown`, `redisUp`, … */
  readonly metrics: Record<string, number>;
}

/** Sent by a worker, unasked, when a loader starts for `key`. */
export interface FailSafeLoading {
  readonly type: 'loading';
  readonly key: string;
}

export type FailSafeChannel = Channel<FailSafeRequest, FailSafeReply, FailSafeLoading>;

export interface FailSafeWorker {
  readonly process: ChildProcess;
  request(request: FailSafeRequest): Promise<FailSafeReply>;
  get(
    key: string,
    options: Partial<Omit<Extract<FailSafeRequest, { type: 'get' }>, 'type' | 'key'>>,
  ): Promise<FailSafeReply>;
  /** Resolves at the next start of a loader for `key` (call it before what starts it). */
  loading(key: string): Promise<void>;
  close(): Promise<void>;
}

const workerModule = new URL('./failsafe-worker.ts', import.meta.url);

/** Forks a fail-safe worker: its own Conn to `url` (a single Redis) with `options`. */
export async function spawnFailSafeWorker(
  url: string,
  options: Omit<Options, 'logger' | 'metrics'>,
): Promise<FailSafeWorker> {
  const child = await forkChild<FailSafeChannel>(workerModule, [url, JSON.stringify(options)], {
    name: 'failsafe-worker',
  });
  return {
    process: child.process,
    request: (request) => child.request(request),
    get: (key, o) =>
      child.request({
        type: 'get',
        key,
        concurrency: o.concurrency ?? 1,
        ttlMs: o.ttlMs ?? 60_000,
        loader: o.loader ?? 'value',
        loaderMs: o.loaderMs ?? 10,
        value: o.value ?? `value-of-${key}`,
        ...(o.opts === undefined ? {} : { opts: o.opts }),
      }),
    async loading(key) {
      await child.nextEvent((event) => event.key === key);
    },
    close: () => child.close(),
  };
}
