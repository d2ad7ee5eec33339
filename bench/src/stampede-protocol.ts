/** Messages between the bench and its stampede workers (child processes). */
import type { Channel } from '@redcache/fleet';

export interface StampedeRequest {
  readonly key: string;
  /** Concurrent `get`s this process fires at once. */
  readonly callers: number;
  readonly loaderMs: number;
  readonly ttlMs: number;
  /** Wall-clock ms at which every process fires, so the processes stampede together. */
  readonly startAt: number;
}

export interface StampedeResult {
  readonly pid: number;
  readonly key: string;
  readonly loaderCalls: number;
  /** Wall-clock ms at which this process' loader returned (the CAS follows at once), or null. */
  readonly loadedAt: number | null;
  /** Wall-clock ms at which each caller that did not run the loader got its value. */
  readonly followerResolvedAt: number[];
  readonly errors: string[];
  /** How this process' waits on the key ended: invalidation, flush, poll, timeout, aborted. */
  readonly wakes: Record<string, number>;
}

/** One stampede request, one result. */
export type StampedeChannel = Channel<StampedeRequest, StampedeResult>;
