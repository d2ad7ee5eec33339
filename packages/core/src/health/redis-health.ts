import type { AllMetrics } from '../config/all-metrics.js';
import type { ResolvedBreaker } from '../config/resilience-options.js';
import type { Logger } from '../logger.js';
import { answersWithin } from './answers-within.js';
import { Probe } from './probe.js';

/** Why the breaker opened: a failed send, a driver's report (`'connection'`, `'liveness'`), or timeouts. */
export type DownReason = string;

/** The breaker's open state: since when (`Date.now()` ms) and why. */
export interface Outage {
  readonly since: number;
  readonly reason: DownReason;
}

/** What the health needs of its engine. */
export interface HealthDeps {
  readonly breaker: ResolvedBreaker;
  readonly logger: Logger;
  readonly metrics: AllMetrics;
  /** Drops everything the near cache holds and wakes every waiter (`hub.invalidate(null)`). */
  readonly flush: () => void;
  /** Sends one PING past the breaker; resolves when Redis answered (an error reply is an answer). */
  readonly ping: () => Promise<unknown>;
  /** How long the PING that checks a lost connection may take (`commandTimeoutMs`). */
  readonly checkTimeoutMs: number;
}

/**
 * The Conn's breaker: whether Redis is up or down for this connection.
 *
 * It goes down on `breaker.timeouts` command timeouts in a row or a failed liveness check
 * (`Driver.onHealth`), and on a lost connection (a send that failed on it, or the driver's
 * report) that a PING does not confirm alive within `checkTimeoutMs`: a connection that is
 * re-established at once (a killed client connection, a proxy restart) costs a PING, not an
 * outage. While that PING is out, sends wait for it (`checking`), so none fails for nothing
 * and none waits longer than the bound. While down, `RuntimeDriver.send` rejects at once with
 * `RedisUnavailableError`, and a PING probes Redis every `breaker.probeIntervalMs` (and at
 * once when the driver reports its connection ready again). When a probe is answered it is up
 * again. Both transitions flush the near cache (`hub.invalidate(null)`): pushes may have been
 * lost meanwhile, so nothing read before the outage is served as fresh after it. Both are
 * logged at warn and counted (`metrics.redisDown(reason)`, `metrics.redisUp(downMs)`).
 */
export class RedisHealth {
  readonly #deps: HealthDeps;
  readonly #probe: Probe;
  readonly #listeners = new Set<(down: boolean) => void>();
  #outage: Outage | undefined;
  #timeoutsInARow = 0;
  #checking: { readonly over: Promise<void>; readonly end: () => void } | undefined;
  #closed = false;

  constructor(deps: HealthDeps) {
    this.#deps = deps;
    this.#probe = new Probe(deps.breaker.probeIntervalMs, deps.ping, () => this.#markUp());
  }

  /** True while the breaker is open: calls that need Redis fail at once. */
  get down(): boolean {
    return this.#outage !== undefined;
  }

  /** While a lost connection is being checked: settles (never rejects) once the check is over. */
  get checking(): Promise<void> | undefined {
    return this.#checking?.over;
  }

  /** Since when and why Redis is down; undefined while it is up. */
  get outage(): Outage | undefined {
    return this.#outage;
  }

  /** Calls `listener` on every transition (`true`: down, `false`: up again). Returns an unsubscribe function. */
  onChange(listener: (down: boolean) => void): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  /** A round trip was answered: the run of timeouts is broken. */
  replied(): void {
    this.#timeoutsInARow = 0;
  }

  /** A round trip timed out; `breaker.timeouts` in a row open the breaker. */
  timedOut(): void {
    this.#timeoutsInARow++;
    if (this.#timeoutsInARow >= this.#deps.breaker.timeouts) this.markDown('timeouts');
  }

  /** A send failed on the connection: it may be gone for good, or re-established already. */
  lostConnection(reason: DownReason = 'connection'): void {
    if (this.#closed || this.down || this.#checking !== undefined) return;
    let end!: () => void;
    const check = { over: new Promise<void>((resolve) => (end = resolve)), end };
    this.#checking = check;
    void answersWithin(this.#deps.ping, this.#deps.checkTimeoutMs).then((alive) => {
      if (this.#checking === check) this.#endCheck();
      if (!alive) this.markDown(reason);
    });
  }

  /** Lets the sends waiting for the check go on (to Redis, or to fail fast if it is down now). */
  #endCheck(): void {
    this.#checking?.end();
    this.#checking = undefined;
  }

  /**
   * The driver's report on its connections (`Driver.onHealth`): a failed liveness check opens
   * the breaker, a lost connection is checked, a connection ready again is probed at once.
   */
  driverReported(event: { readonly healthy: boolean; readonly reason: string }): void {
    if (event.healthy) {
      if (this.down) this.#probe.now();
    } else if (event.reason === 'connection') this.lostConnection(event.reason);
    else this.markDown(event.reason);
  }

  /** Opens the breaker (no-op when it is open already, or closed for good). */
  markDown(reason: DownReason): void {
    if (this.#closed || this.#outage !== undefined) return;
    this.#outage = { since: Date.now(), reason };
    this.#timeoutsInARow = 0;
    this.#endCheck(); // down already: the sends waiting for a check fail at once
    this.#deps.flush();
    this.#deps.logger.warn(
      'redcache: Redis is down; calls that need it fail at once until a probe is answered',
      {
        op: 'health',
        reason,
        probeIntervalMs: this.#deps.breaker.probeIntervalMs,
      },
    );
    this.#deps.metrics.redisDown(reason);
    this.#probe.start();
    this.#notify(true);
  }

  /** Stops the probe for good; no transition happens after this. */
  close(): void {
    this.#closed = true;
    this.#endCheck();
    this.#probe.stop();
    this.#listeners.clear();
  }

  #markUp(): void {
    const outage = this.#outage;
    if (this.#closed || outage === undefined) return;
    this.#outage = undefined;
    this.#timeoutsInARow = 0;
    this.#probe.stop();
    const downMs = Date.now() - outage.since;
    // What the near cache holds now was read before the outage or while pushes may have been lost.
    this.#deps.flush();
    this.#deps.logger.warn('redcache: Redis is up again', { op: 'health', downMs, reason: outage.reason });
    this.#deps.metrics.redisUp(downMs);
    this.#notify(false);
  }

  #notify(down: boolean): void {
    for (const listener of [...this.#listeners]) {
      try {
        listener(down);
      } catch (error) {
        this.#deps.logger.error('redcache: a health listener threw', {
          op: 'health',
          error: (error as Error).message,
        });
      }
    }
  }
}
