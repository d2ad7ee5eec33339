/** Messages between the peer stampede and its workers (child processes, one per process of the fleet). */
import type { Channel } from '@redcache/fleet';
import type { RedisPeerName } from '../peers/open-peer.js';
import type { FollowerWake, WakeMode } from '../peers/raw-wake.js';
import type { HealthSnapshot } from '../peers/redcache-health.js';

/** A stampede contender: a Redis peer, or the raw wake protocol in one of its modes. */
export type StampedeContender = RedisPeerName | `raw-${WakeMode}`;

export interface PeerStampedeRequest {
  readonly peer: StampedeContender;
  /** Short names; each worker asks its peer for their keys before the instant. */
  readonly names: readonly string[];
  /** Concurrent gets this process fires at once; caller c reads names[c % names.length]. */
  readonly callers: number;
  readonly loaderMs: number;
  /** Wall-clock ms at which every process fires. */
  readonly startAt: number;
}

/** A redcache wait that ended, in this process: on which key, why, and when (wall-clock ms). */
export interface WaitEnd {
  readonly key: number;
  readonly reason: string;
  readonly at: number;
  readonly waitedMs: number;
}

export interface PeerStampedeResult {
  /** Wall-clock ms this process fired its callers (after sleeping until `startAt`). */
  readonly firedAt: number;
  /** The synchronous part of firing the callers (the calls up to their first await), ms. */
  readonly burstMs: number;
  /** CPU this process used (user + system) from firing to the last caller's value, ms. */
  readonly cpuMs: number;
  /** Loader calls in this process, per key (in the request's order). */
  readonly loaderCalls: number[];
  /** Per key: wall-clock ms this process' first loader started and returned (null: none here). */
  readonly loaderStartedAt: (number | null)[];
  readonly loadedAt: (number | null)[];
  /** Per caller: wall-clock ms it had its value. */
  readonly doneAt: number[];
  /** The callers whose own loader ran. */
  readonly loaders: number[];
  readonly errors: string[];
  /** redcache: its waits that ended during the request (key as an index into names). */
  readonly waits: WaitEnd[];
  /** Raw wake protocol: each follower flight's wake (key as an index into names). */
  readonly wakes: (Omit<FollowerWake, 'key'> & { readonly key: number })[];
  /** redcache's health counts in this process so far (the breaker, timeouts, flushes). */
  readonly health: HealthSnapshot;
}

export type PeerStampedeChannel = Channel<PeerStampedeRequest, PeerStampedeResult>;
