/** Messages between the peer stampede and its workers (child processes, one per process of the fleet). */
import type { Channel } from '@redcache/fleet';
import type { RedisPeerName } from '../peers/open-peer.js';

export interface PeerStampedeRequest {
  readonly peer: RedisPeerName;
  readonly keys: readonly string[];
  /** Concurrent gets this process fires at once; caller c reads keys[c % keys.length]. */
  readonly callers: number;
  readonly loaderMs: number;
  /** Wall-clock ms at which every process fires. */
  readonly startAt: number;
}

export interface PeerStampedeResult {
  /** Loader calls in this process, per key (in the request's order). */
  readonly loaderCalls: number[];
  /** Per caller: wall-clock ms from `startAt` to its value. */
  readonly latenciesMs: number[];
  readonly errors: string[];
}

export type PeerStampedeChannel = Channel<PeerStampedeRequest, PeerStampedeResult>;
