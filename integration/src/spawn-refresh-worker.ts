import { type Channel, type ForkedChild, forkChild } from '@redcache/fleet';

/** What the parent and a refresh worker say (refresh-worker.ts). */
export type RefreshWorkerChannel = Channel<
  /** A hit on `key` (already in Redis, due for refresh): the worker's refresh loader never settles. */
  { readonly type: 'hit'; readonly key: string; readonly ttlMs: number },
  /** What the hit returned (the stale value, at once). */
  { readonly type: 'served'; readonly value: string },
  /** Sent when the worker's refresh loader starts for `key`: it holds the key's refresh lock. */
  { readonly type: 'refreshing'; readonly key: string }
>;

export interface RefreshWorkerOptions {
  readonly lockTTLMs: number;
  readonly refreshLockPrefix: string;
}

/**
 * Forks a process with its own Conn to `target`, refresh-ahead on (`refreshAfterFraction`
 * 0.5, `refreshBeta` 0): a hit with less than half of its ttl left refreshes, every time.
 */
export function spawnRefreshWorker(
  target: string,
  options: RefreshWorkerOptions,
): Promise<ForkedChild<RefreshWorkerChannel>> {
  return forkChild<RefreshWorkerChannel>(
    new URL('./refresh-worker.ts', import.meta.url),
    [target, JSON.stringify(options)],
    { name: 'refresh worker' },
  );
}
