import type { Channel } from '@redcache/fleet';

/** A hit worker's conversation: warm up, then time one round of near hits (calls per second). */
export type HitWorkerChannel = Channel<
  { readonly type: 'warmup'; readonly ms: number } | { readonly type: 'round'; readonly ms: number },
  { readonly opsPerSecond: number }
>;
