import type { Channel } from '@redcache/fleet';

/**
 * The members of a mixed fleet: a Node process on `@redcache/node-redis`, one on
 * `@redcache/ioredis`, and a process that plays the Go library with raw commands
 * (mixed-fleet-go.ts).
 */
export type FleetFlavour = 'node-redis' | 'ioredis' | 'go';

export const FLEET_FLAVOURS: readonly FleetFlavour[] = ['node-redis', 'ioredis', 'go'];

export type FleetRequest =
  /**
   * A `get` of each key, all at once; each loader counts its call in Redis (`<key>:loads`) and
   * returns only once the key is released. Answered when every key has its value.
   */
  | {
      readonly type: 'get';
      readonly keys: readonly string[];
      /**
       * Starts each key's `get` at this wall-clock instant (`wallClockMs`) plus a random part of
       * `spreadMs` (default 0), so that members race for each key.
       */
      readonly atMs?: number;
      readonly spreadMs?: number;
    }
  /** Lets the held loader of `key` return (now, or as soon as it starts). */
  | { readonly type: 'release'; readonly key: string }
  /** Which keys this member is loading, and which it waits for (another holds the lock). */
  | { readonly type: 'status' };

export type FleetReply =
  | {
      readonly type: 'values';
      /** Per key, the value the member's `get` returned. */
      readonly values: Record<string, string>;
      /** Keys whose loader ran here. */
      readonly loaded: readonly string[];
      /** How this member's waits ended, by reason (invalidation, poll, timeout, …). */
      readonly wakes: Record<string, number>;
    }
  | {
      readonly type: 'status';
      readonly loading: readonly string[];
      readonly waiting: readonly string[];
    }
  | { readonly type: 'released' };

export type FleetChannel = Channel<FleetRequest, FleetReply>;

/** What a member's loader returns for `key`: who loaded it. */
export function loadedValue(flavour: FleetFlavour, pid: number, key: string): string {
  return `${flavour}:${pid}:${key}`;
}

/** The counter of loader calls of `key`, across the fleet. */
export const loadsKey = (key: string): string => `${key}:loads`;
