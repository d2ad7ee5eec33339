import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AllMetrics } from '../config/all-metrics.js';
import type { Logger } from '../logger.js';
import { NoopMetrics } from '../metrics.js';
import { deferred, flush } from '../test-support/promise-state.js';
import { RedisHealth } from './redis-health.js';

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
});
afterEach(() => {
  vi.useRealTimers();
});

class Recorder extends NoopMetrics {
  readonly events: string[] = [];
  override redisDown(reason: string): void {
    this.events.push(`down:${reason}`);
  }
  override redisUp(downMs: number): void {
    this.events.push(`up:${downMs}`);
  }
}

/** A health over a PING the test answers: `pings` holds each one sent, unanswered. */
function setup(options: { timeouts?: number } = {}) {
  const metrics = new Recorder();
  const logs: Array<[string, string]> = [];
  const log = (level: string) => (message: string) => logs.push([level, message]);
  const logger: Logger = { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
  const pings: Array<ReturnType<typeof deferred<unknown>>> = [];
  let flushes = 0;
  const health = new RedisHealth({
    breaker: { timeouts: options.timeouts ?? 3, probeIntervalMs: 1_000 },
    logger,
    metrics: metrics as unknown as AllMetrics,
    flush: () => flushes++,
    ping: () => {
      const ping = deferred<unknown>();
      pings.push(ping);
      return ping.promise;
    },
    checkTimeoutMs: 250,
  });
  const changes: boolean[] = [];
  health.onChange((down) => changes.push(down));
  return { health, metrics, logs, pings, changes, flushes: () => flushes };
}

describe('RedisHealth', () => {
  it('opens on a run of timeouts, not on timeouts broken by a reply: flushes, logs at warn, counts, notifies', () => {
    const { health, metrics, logs, changes, flushes } = setup({ timeouts: 3 });
    health.timedOut();
    health.timedOut();
    health.replied();
    health.timedOut();
    health.timedOut();
    expect(health.down).toBe(false);
    health.timedOut();
    expect(health.down).toBe(true);
    expect(health.outage).toEqual({ since: Date.now(), reason: 'timeouts' });
    expect(flushes()).toBe(1);
    expect(metrics.events).toEqual(['down:timeouts']);
    expect(logs.filter(([level]) => level === 'warn')).toHaveLength(1);
    expect(changes).toEqual([true]);
    health.markDown('liveness'); // open already: no second transition
    expect(metrics.events).toEqual(['down:timeouts']);
    health.close();
  });

  it('while down, probes every probeIntervalMs, one PING at a time; an answer closes it: flush, redisUp(downMs), notify', async () => {
    const { health, metrics, pings, changes, flushes } = setup();
    health.markDown('liveness');
    expect(pings).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(pings).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(2_000); // the first is still out: no other is sent
    expect(pings).toHaveLength(1);
    pings[0]!.reject(new Error('lost'));
    await flush();
    expect(health.down).toBe(true);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(pings).toHaveLength(2);
    pings[1]!.resolve('PONG');
    await flush();
    expect(health.down).toBe(false);
    expect(metrics.events).toEqual(['down:liveness', 'up:4000']);
    expect(flushes()).toBe(2);
    expect(changes).toEqual([true, false]);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(pings).toHaveLength(2); // up: no more probes
    health.close();
  });

  it('a connection ready again is probed at once', async () => {
    const { health, pings } = setup();
    health.markDown('connection');
    health.driverReported({ healthy: true, reason: 'ready' });
    expect(pings).toHaveLength(1);
    pings[0]!.resolve('PONG');
    await flush();
    expect(health.down).toBe(false);
    health.close();
  });

  it('a lost connection is checked with one PING: answered in time, it stays up', async () => {
    const { health, pings, changes } = setup();
    health.lostConnection();
    health.driverReported({ healthy: false, reason: 'connection' });
    expect(pings).toHaveLength(1);
    const checking = health.checking;
    expect(checking).toBeDefined();
    pings[0]!.resolve('PONG');
    await checking;
    expect(health.checking).toBeUndefined();
    expect(health.down).toBe(false);
    expect(changes).toEqual([]);
    health.close();
  });

  it('a lost connection whose PING is not answered within checkTimeoutMs opens it', async () => {
    const { health, pings, metrics } = setup();
    health.lostConnection();
    const checking = health.checking;
    await vi.advanceTimersByTimeAsync(249);
    expect(health.down).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await checking;
    expect(health.down).toBe(true);
    expect(metrics.events).toEqual(['down:connection']);
    pings[0]!.resolve('late'); // the check's late answer is no probe's
    await flush();
    expect(health.down).toBe(true);
    health.close();
  });

  it('a failed liveness check opens it at once', () => {
    const { health } = setup();
    health.driverReported({ healthy: false, reason: 'liveness' });
    expect(health.outage?.reason).toBe('liveness');
    health.close();
  });

  it('close() stops the probe and every later transition', async () => {
    const { health, pings, changes } = setup();
    health.markDown('liveness');
    health.close();
    await vi.advanceTimersByTimeAsync(5_000);
    expect(pings).toHaveLength(0);
    expect(vi.getTimerCount()).toBe(0);
    health.timedOut();
    health.lostConnection();
    expect(pings).toHaveLength(0);
    expect(changes).toEqual([true]);
  });
});

describe('RedisHealth: a check cut short', () => {
  it('a failed liveness check while a lost connection is checked ends the check at once: the waiting sends fail fast', async () => {
    const { health } = setup();
    health.lostConnection();
    const checking = health.checking!;
    let over = false;
    void checking.then(() => {
      over = true;
    });
    health.driverReported({ healthy: false, reason: 'liveness' });
    await flush();
    expect(over).toBe(true);
    expect(health.checking).toBeUndefined();
    expect(health.outage?.reason).toBe('liveness');
    health.close();
  });
});
