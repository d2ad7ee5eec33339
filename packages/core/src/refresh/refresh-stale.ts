import type { Codec } from '../codec.js';
import type { EngineContext } from '../engine/engine-context.js';
import type { RefreshJob } from './refresh-job.js';
import { shouldRefresh } from './xfetch.js';

/** What offering a refresh needs. */
export type RefreshOfferParts = Pick<EngineContext, 'options' | 'refresh'>;

/** A hit that may be due for refresh. */
export interface Hit {
  readonly key: string;
  /** ms of life left: the near-cache entry's, or min(server PTTL, ttl) for a Redis read. */
  readonly remainingMs: number;
  readonly deltaNs: number;
  readonly raw: Uint8Array;
}

/**
 * Offers one background refresh job for the hits XFetch finds due. Does nothing when
 * refresh-ahead is off. The hit itself is served at once either way. `op` and `view` (the
 * hit's operation and view name) go with the job's `redcache:refresh` event.
 */
export function refreshStale(
  ctx: RefreshOfferParts,
  hits: readonly Hit[],
  ttlMs: number,
  codec: Codec<unknown>,
  originals: ReadonlyMap<string, unknown>,
  load: RefreshJob['load'],
  op: string,
  view: string | undefined,
): void {
  if (ctx.refresh === undefined) return;
  const policy = { fraction: ctx.options.refreshAfterFraction, beta: ctx.options.refreshBeta };
  const expected = new Map<string, Uint8Array>();
  for (const hit of hits) {
    if (shouldRefresh(policy, hit.remainingMs, ttlMs, hit.deltaNs)) expected.set(hit.key, hit.raw);
  }
  if (expected.size > 0)
    ctx.refresh.offer({ op, view, ttlMs, codec, originals, expected, load }, [...expected.keys()]);
}
