import type { Channel } from '@redcache/fleet';

export type WorkerRequest =
  | {
      readonly type: 'get';
      readonly key: string;
      readonly concurrency: number;
      readonly ttlMs: number;
      readonly loaderMs: number;
      readonly counterKey: string;
      readonly value: string;
      /** The loader, once it has waited `loaderMs`, returns only after a `release` of the key. */
      readonly hold: boolean;
    }
  | {
      /** One call on the worker's cache; values are `{ value, pid: 0 }` objects written by the test. */
      readonly type: 'op';
      readonly method: 'set' | 'forceSet' | 'del' | 'touch';
      readonly key: string;
      readonly ttlMs: number;
      readonly value: string;
      readonly loaderMs: number;
    }
  | { readonly type: 'stats' }
  /** Lets the held loaders of `key` return, now and from now on. */
  | { readonly type: 'release'; readonly key: string };

export type WorkerReply =
  | {
      readonly type: 'result';
      /** `<value>@<pid of the loading process>` per caller, or `error:<message>`. */
      readonly values: string[];
      readonly wakes: Record<string, number>;
      readonly lockAttempts: number;
      readonly locksAcquired: number;
      readonly loaderCalls: number;
      /** Every Metrics event the worker's connection counted so far, by name. */
      readonly metrics: Record<string, number>;
    }
  | {
      readonly type: 'done';
      readonly error?: string;
      readonly metrics: Record<string, number>;
      /** How many times the worker's driver reported each key invalidated so far; `*` counts flushes. */
      readonly invalidations: Record<string, number>;
    };

/** Sent by a worker, unasked, when its loader starts for `key`. */
export interface LoadingEvent {
  readonly type: 'loading';
  readonly key: string;
}

export type WorkerChannel = Channel<WorkerRequest, WorkerReply, LoadingEvent>;
