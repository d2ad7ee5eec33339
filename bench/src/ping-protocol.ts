/** Messages between the bench and its PING worker (a child process, so its waits are Redis's, not this event loop's). */
import type { Channel } from '@redcache/fleet';

/** `start` PINGs one after the other (answered once the first PING is back); `stop` ends them. */
export type PingRequest = { readonly kind: 'start' } | { readonly kind: 'stop' };

/** After `stop`: how long each PING waited, ms, and how many were refused (BUSY). */
export interface PingResult {
  readonly waits: number[];
  readonly errors: number;
}

export type PingChannel = Channel<PingRequest, PingResult>;
