import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AllMetrics } from '../config/all-metrics.js';
import type { Driver, InvalidationListener, RedisCommand, RedisReply } from '../driver.js';
import { RedisCommandError } from '../errors/errors.js';
import { CommandTimeoutError, RedisUnavailableError } from '../errors/resilience-errors.js';
import { RedisHealth } from '../health/redis-health.js';
import { silentLogger } from '../logger.js';
import { NoopMetrics } from '../metrics.js';
import { deferred, stateOf } from '../test-support/promise-state.js';
import { RuntimeDriver } from './runtime-driver.js';

type Reply = RedisReply | Error;

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
});
afterEach(() => {
  vi.useRealTimers();
});

/** A driver whose every send waits for the test to answer it (`held`), on server 10.0.0.1:6379. */
class HeldDriver implements Driver {
  readonly client = {};
  readonly held: Array<{ commands: readonly RedisCommand[]; reply: ReturnType<typeof deferred<Reply[]>> }> =
    [];
  send(commands: readonly RedisCommand[]): Promise<Reply[]> {
    const reply = deferred<Reply[]>();
    this.held.push({ commands, reply });
    return reply.promise;
  }
  onInvalidate(_listener: InvalidationListener): () => void {
    return () => {};
  }
  slotOf(): number {
    return 0;
  }
  serverOf(): string {
    return '10.0.0.1:6379';
  }
  async close(): Promise<void> {}
}

class Recorder extends NoopMetrics {
  readonly events: string[] = [];
  override redisError(phase: string): void {
    this.events.push(`error:${phase}`);
  }
  override commandTimeout(op: string): void {
    this.events.push(`timeout:${op}`);
  }
}

function setup(commandTimeoutMs = 250) {
  const driver = new HeldDriver();
  const metrics = new Recorder();
  const health = new RedisHealth({
    breaker: { timeouts: 3, probeIntervalMs: 1_000 },
    logger: silentLogger,
    metrics: metrics as unknown as AllMetrics,
    flush: () => {},
    ping: () => runtime.probe(),
    checkTimeoutMs: commandTimeoutMs,
  });
  const runtime: RuntimeDriver = new RuntimeDriver(driver, metrics, { commandTimeoutMs, health });
  return { driver, metrics, health, runtime };
}

const get = (key: string): RedisCommand => ({ key, args: ['GET', key] });

/** `promise`, with its rejection handled from the start (the tests observe it later). */
function handled<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => {});
  return promise;
}

describe('RuntimeDriver: the command bound', () => {
  it('rejects a round trip past commandTimeoutMs with CommandTimeoutError naming op, key, bound and server; the late reply is ignored', async () => {
    const { driver, metrics, runtime, health } = setup(250);
    const sending = handled(runtime.send('get', [get('user:1')], 'read'));
    await vi.advanceTimersByTimeAsync(249);
    expect((await stateOf(sending)).state).toBe('pending');
    await vi.advanceTimersByTimeAsync(1);
    const state = await stateOf(sending);
    expect(state.state).toBe('rejected');
    const error = (state as { error: CommandTimeoutError }).error;
    expect(error).toBeInstanceOf(CommandTimeoutError);
    expect(error.code).toBe('E_TIMEOUT');
    expect(error.op).toBe('get');
    expect(error.key).toBe('user:1');
    expect(error.timeoutMs).toBe(250);
    expect(error.server).toBe('10.0.0.1:6379');
    expect(error.message).toContain('timed out after 250 ms');
    expect(error.message).toContain('10.0.0.1:6379');
    expect(metrics.events).toEqual(['error:read', 'timeout:get']);
    driver.held[0]!.reply.resolve(['late']);
    expect(await stateOf(sending)).toEqual(state);
    expect(health.down).toBe(false);
    health.close();
  });

  it('a reply in time passes through and breaks the run of timeouts; breaker.timeouts in a row open the breaker', async () => {
    const { driver, runtime, health } = setup(250);
    const timedOut = () => handled(runtime.send('get', [get('k')]));
    timedOut();
    timedOut();
    await vi.advanceTimersByTimeAsync(250);
    const answered = runtime.send('get', [get('k')]);
    driver.held[2]!.reply.resolve(['v']);
    await expect(answered).resolves.toEqual(['v']);
    timedOut();
    await vi.advanceTimersByTimeAsync(250);
    expect(health.down).toBe(false); // two timeouts, a reply, one timeout
    timedOut();
    timedOut();
    await vi.advanceTimersByTimeAsync(250);
    expect(health.outage?.reason).toBe('timeouts');
    health.close();
  });

  it('with commandTimeoutMs false, no send is bounded', async () => {
    const driver = new HeldDriver();
    const runtime = new RuntimeDriver(driver, new NoopMetrics(), {
      commandTimeoutMs: false,
      health: setup().health,
    });
    const sending = runtime.send('get', [get('k')]);
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(60_000);
    expect((await stateOf(sending)).state).toBe('pending');
  });
});

describe('RuntimeDriver: the breaker', () => {
  it('while down, rejects at once with RedisUnavailableError naming op, key, server, reason and since, sending nothing', async () => {
    const { driver, runtime, health } = setup();
    health.markDown('liveness');
    const since = Date.now();
    const state = await stateOf(runtime.send('set', [get('user:2')]));
    expect(state.state).toBe('rejected');
    const error = (state as { error: RedisUnavailableError }).error;
    expect(error).toBeInstanceOf(RedisUnavailableError);
    expect(error.code).toBe('E_UNAVAILABLE');
    expect(error.op).toBe('set');
    expect(error.key).toBe('user:2');
    expect(error.server).toBe('10.0.0.1:6379');
    expect(error.reason).toBe('liveness');
    expect(error.since).toBe(since);
    expect(error.message).toContain('10.0.0.1:6379');
    expect(driver.held).toHaveLength(0);
    health.close();
  });

  it('a failed send is checked with a PING; sends meanwhile wait for it, and go out once it is answered', async () => {
    const { driver, runtime, health } = setup();
    const first = runtime.send('get', [get('a')]);
    driver.held[0]!.reply.reject(new Error('socket closed'));
    await expect(first).rejects.toBeInstanceOf(RedisCommandError);
    expect(driver.held[1]!.commands).toEqual([{ key: '', args: ['PING'] }]);
    const second = runtime.send('get', [get('b')]);
    await vi.advanceTimersByTimeAsync(10);
    expect(driver.held).toHaveLength(2); // waiting for the check
    driver.held[1]!.reply.resolve(['PONG']);
    await vi.advanceTimersByTimeAsync(0);
    expect(driver.held[2]!.commands).toEqual([get('b')]);
    driver.held[2]!.reply.resolve(['v']);
    await expect(second).resolves.toEqual(['v']);
    expect(health.down).toBe(false);
    health.close();
  });

  it('a failed send whose check goes unanswered opens the breaker: the sends that waited fail fast', async () => {
    const { driver, runtime, health } = setup(250);
    const first = runtime.send('get', [get('a')]);
    driver.held[0]!.reply.reject(new Error('socket closed'));
    await expect(first).rejects.toBeInstanceOf(RedisCommandError);
    const waiting = handled(runtime.send('get', [get('b')]));
    await vi.advanceTimersByTimeAsync(250);
    const state = await stateOf(waiting);
    expect(state.state).toBe('rejected');
    expect((state as { error: unknown }).error).toBeInstanceOf(RedisUnavailableError);
    expect(health.outage?.reason).toBe('connection');
    expect(driver.held).toHaveLength(2); // the send and the check's PING, nothing more
    health.close();
  });
});

describe('RuntimeDriver: a lost connection', () => {
  it('names the server in its RedisCommandError (was: only the op, the key and the client error)', async () => {
    const { driver, runtime } = setup(250);
    const sending = handled(runtime.send('get', [get('user:1')], 'read'));
    driver.held[0]!.reply.reject(new Error('Socket closed unexpectedly'));
    const error = (await sending.catch((e: unknown) => e)) as RedisCommandError;
    expect(error).toBeInstanceOf(RedisCommandError);
    expect({ transport: error.transport, server: error.server, message: error.message }).toEqual({
      transport: true,
      server: '10.0.0.1:6379',
      message: 'redcache: get key "user:1": Redis 10.0.0.1:6379: Socket closed unexpectedly',
    });
  });
});
