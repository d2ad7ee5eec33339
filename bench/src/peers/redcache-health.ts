import { type LogAttributes, NoopMetrics } from '@redcache/core';
import { EventTally, wallClockMs } from '@redcache/fleet';

/**
 * What would spoil a redcache figure without failing a call: the breaker opening or closing
 * (each flushes the near cache) and command timeouts, counted by the Metrics every redcache
 * peer of this process reports to. The bench prints them; all should stay 0.
 */
export class HealthCounts extends NoopMetrics {
  redisDowns = 0;
  redisUps = 0;
  commandTimeouts = 0;
  override redisDown(): void {
    this.redisDowns++;
  }
  override redisUp(): void {
    this.redisUps++;
  }
  override commandTimeout(): void {
    this.commandTimeouts++;
  }
  snapshot(): HealthSnapshot {
    return {
      redisDown: this.redisDowns,
      redisUp: this.redisUps,
      commandTimeout: this.commandTimeouts,
      flushWakes: REDCACHE_EVENTS.wakes.flush ?? 0,
    };
  }
}

/** The counts, and waits the engine ended with a flush ('redcache: wait ended', reason flush). */
export interface HealthSnapshot {
  readonly redisDown: number;
  readonly redisUp: number;
  readonly commandTimeout: number;
  readonly flushWakes: number;
}

/** This process' counts, over every redcache peer it opened. */
export const REDCACHE_HEALTH = new HealthCounts();
/** A wait that ended ('redcache: wait ended'): its keys, why, when (wall-clock ms), how long it waited. */
export interface WaitEnded {
  readonly keys: readonly string[];
  readonly reason: string;
  readonly at: number;
  readonly waitedMs: number;
}

/** An EventTally that also keeps every wait's end, for the stampede's per-stage figures. */
class WaitLog extends EventTally {
  ended: WaitEnded[] = [];
  override debug(message: string, attributes?: LogAttributes): void {
    super.debug(message, attributes);
    if (message !== 'redcache: wait ended') return;
    this.ended.push({
      keys: Array.isArray(attributes?.keys) ? attributes.keys.map(String) : [],
      reason: String(attributes?.reason),
      at: wallClockMs(),
      waitedMs: Number(attributes?.waitedMs),
    });
  }
  /** The waits ended since the last call. */
  take(): WaitEnded[] {
    const taken = this.ended;
    this.ended = [];
    return taken;
  }
}

/** This process' engine debug events (waits ended by reason), over every redcache peer it opened. */
export const REDCACHE_EVENTS = new WaitLog();

export const addHealth = (a: HealthSnapshot, b: HealthSnapshot): HealthSnapshot => ({
  redisDown: a.redisDown + b.redisDown,
  redisUp: a.redisUp + b.redisUp,
  commandTimeout: a.commandTimeout + b.commandTimeout,
  flushWakes: a.flushWakes + b.flushWakes,
});

export const healthLine = (h: HealthSnapshot) =>
  `breaker opened ${h.redisDown}, closed ${h.redisUp}; command timeouts ${h.commandTimeout}; waits ended by a flush ${h.flushWakes}`;
