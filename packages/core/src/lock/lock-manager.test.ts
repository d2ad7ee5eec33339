import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RuntimeDriver } from '../driver/runtime-driver.js';
import type { Driver, RedisArgument, RedisCommand, RedisReply } from '../driver.js';
import { ClosedError } from '../errors/errors.js';
import type { Logger } from '../logger.js';
import { NoopMetrics } from '../metrics.js';
import { deferred } from '../test-support/promise-state.js';
import { extendLockScript } from '../wire/scripts/extend-lock.js';
import { restoreValueScript } from '../wire/scripts/restore-value.js';
import { unlockScript } from '../wire/scripts/unlock.js';
import type { SavedValue } from './held-lock.js';
import { LockManager } from './lock-manager.js';

/** One script call as the driver saw it: the script's name, its key, and its arguments after the keys. */
interface SeenCall {
  readonly script: string;
  readonly key: string;
  readonly args: readonly RedisArgument[];
}

/** What the driver answers a call with: a reply, or an Error in the call's slot. */
type Answer = (call: SeenCall) => RedisReply | Error;

const scripts = [extendLockScript, unlockScript, restoreValueScript];
const scriptName = (command: RedisCommand): string => {
  const [verb, ref] = command.args;
  const found = scripts.find((s) => (verb === 'EVALSHA' ? s.sha1 === ref : s.source === ref));
  if (found === undefined) throw new Error(`unexpected command ${String(verb)}`);
  return found.name;
};

/**
 * The driver under the manager's RuntimeDriver: it decodes each EVAL/EVALSHA back to its
 * script, records it, and answers as the test says. `failNext` makes sends reject (a lost
 * connection); `gate` holds every answer until it resolves.
 */
class RecordingDriver implements Driver {
  readonly client = undefined;
  readonly calls: SeenCall[] = [];
  answer: Answer = () => 1;
  failing = false;
  gate: Promise<void> | undefined;

  async send(commands: readonly RedisCommand[]): Promise<Array<RedisReply | Error>> {
    const seen = commands.map((command) => {
      const keyCount = Number(command.args[2]);
      return {
        script: scriptName(command),
        key: command.key,
        args: command.args.slice(3 + keyCount),
      };
    });
    this.calls.push(...seen);
    if (this.gate !== undefined) await this.gate;
    if (this.failing) throw new Error('connection lost');
    return seen.map((call) => this.answer(call));
  }

  of(script: string): SeenCall[] {
    return this.calls.filter((call) => call.script === script);
  }

  onInvalidate(): () => void {
    return () => {};
  }

  slotOf(): number {
    return 0;
  }

  async close(): Promise<void> {}
}

const LOCK_TTL = 3000;
const ROUND = LOCK_TTL / 3;

function setup(lockTTLMs = LOCK_TTL) {
  const driver = new RecordingDriver();
  const logger: Logger = { debug: vi.fn(), info: vi.fn(), warn: vi.fn(), error: vi.fn() };
  const manager = new LockManager({
    driver: new RuntimeDriver(driver, new NoopMetrics()),
    logger,
    lockTTLMs,
    lockPrefix: '__redcache:lock:',
  });
  return { driver, logger, manager };
}

/** Advances fake time by `ms`, letting the renewal rounds it starts run to their end. */
const advance = (ms: number) => vi.advanceTimersByTimeAsync(ms);

const saved = (pttlMs: number): SavedValue => ({
  raw: new TextEncoder().encode('prior'),
  pttlMs,
  takenAt: performance.now(),
});

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('LockManager.nextToken', () => {
  const uuid = '[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}';

  it('is lockPrefix + one uuidv7 per manager + ":" + a counter from 1', () => {
    const { manager } = setup();
    const first = manager.nextToken();
    const second = manager.nextToken();
    expect(first).toMatch(new RegExp(`^__redcache:lock:${uuid}:1$`));
    expect(second).toMatch(new RegExp(`^__redcache:lock:${uuid}:2$`));
    expect(second.slice(0, -1)).toBe(first.slice(0, -1));
    expect(setup().manager.nextToken().slice(0, -1)).not.toBe(first.slice(0, -1));
  });
});

describe('LockManager renewal', () => {
  it('renews a held lock every lockTTL/3 with extend-lock (token, lockTTL)', async () => {
    const { driver, manager } = setup();
    manager.hold('get', 'k', 't1');
    await advance(ROUND - 1);
    expect(driver.of('extend-lock')).toHaveLength(0);
    await advance(1);
    expect(driver.of('extend-lock')).toEqual([{ script: 'extend-lock', key: 'k', args: ['t1', '3000'] }]);
    await advance(2 * ROUND);
    expect(driver.of('extend-lock')).toHaveLength(3);
  });

  it('renews every held lock in one round, on one timer', async () => {
    const { driver, manager } = setup();
    manager.hold('get', 'a', 'ta');
    manager.hold('get', 'b', 'tb');
    expect(vi.getTimerCount()).toBe(1);
    await advance(ROUND);
    expect(driver.of('extend-lock').map((c) => c.key)).toEqual(['a', 'b']);
  });

  it('keeps no timer while nothing is held', async () => {
    const { driver, manager } = setup();
    expect(vi.getTimerCount()).toBe(0);
    const lock = manager.hold('get', 'k', 't1')!;
    expect(vi.getTimerCount()).toBe(1);
    manager.forget([lock]);
    expect(vi.getTimerCount()).toBe(0);
    await advance(10 * ROUND);
    expect(driver.of('extend-lock')).toHaveLength(0);
  });

  it('forget keeps the timer while another lock is held and stops it with the last', async () => {
    const { driver, manager } = setup();
    const a = manager.hold('get', 'a', 'ta')!;
    const b = manager.hold('get', 'b', 'tb')!;
    manager.forget([a]);
    expect(manager.size).toBe(1);
    expect(vi.getTimerCount()).toBe(1);
    await advance(ROUND);
    expect(driver.of('extend-lock').map((c) => c.key)).toEqual(['b']);
    manager.forget([b]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('release of the last lock stops the timer', async () => {
    const { driver, manager } = setup();
    const a = manager.hold('get', 'a', 'ta')!;
    const b = manager.hold('get', 'b', 'tb')!;
    await manager.release('get', [a]);
    expect(vi.getTimerCount()).toBe(1);
    await manager.release('get', [b]);
    expect(vi.getTimerCount()).toBe(0);
    await advance(10 * ROUND);
    expect(driver.of('extend-lock')).toHaveLength(0);
  });

  it('starts a new timer for a lock held after the last one went', async () => {
    const { driver, manager } = setup();
    manager.forget([manager.hold('get', 'a', 'ta')!]);
    manager.hold('get', 'b', 'tb');
    expect(vi.getTimerCount()).toBe(1);
    await advance(ROUND);
    expect(driver.of('extend-lock').map((c) => c.key)).toEqual(['b']);
  });

  it.each([0, null])('does not renew again a lock the renewal found gone (reply %s)', async (gone) => {
    const { driver, manager } = setup();
    driver.answer = (call) => (call.key === 'a' ? gone : 1);
    manager.hold('get', 'a', 'ta');
    manager.hold('get', 'b', 'tb');
    await advance(ROUND);
    expect(driver.of('extend-lock').map((c) => c.key)).toEqual(['a', 'b']);
    await advance(2 * ROUND);
    expect(driver.of('extend-lock').map((c) => c.key)).toEqual(['a', 'b', 'b', 'b']);
  });

  it('a lock whose renewal got an error reply is still renewed next round, with a warning', async () => {
    const { driver, logger, manager } = setup();
    driver.answer = () => new Error('ERR busy');
    manager.hold('get', 'a', 'ta');
    await advance(ROUND);
    expect(logger.warn).toHaveBeenCalledWith('redcache: lock renewal failed', {
      op: 'renew',
      key: 'a',
      error: 'ERR busy',
    });
    driver.answer = () => 1;
    await advance(ROUND);
    expect(driver.of('extend-lock')).toHaveLength(2);
  });

  it('a round whose send rejects logs a warning, and the timer goes on', async () => {
    const { driver, logger, manager } = setup();
    manager.hold('get', 'a', 'ta');
    driver.failing = true;
    await advance(ROUND);
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(vi.mocked(logger.warn).mock.calls[0]?.[0]).toBe('redcache: lock renewal failed');
    expect(vi.mocked(logger.warn).mock.calls[0]?.[1]).toMatchObject({ keys: ['a'] });
    expect(vi.getTimerCount()).toBe(1);
    driver.failing = false;
    await advance(ROUND);
    expect(driver.of('extend-lock')).toHaveLength(2);
    expect(logger.warn).toHaveBeenCalledTimes(1);
  });

  it('skips a tick while the previous round is still in flight', async () => {
    const { driver, manager } = setup();
    const gate = deferred<void>();
    driver.gate = gate.promise;
    manager.hold('get', 'a', 'ta');
    await advance(ROUND);
    await advance(ROUND);
    expect(driver.of('extend-lock')).toHaveLength(1);
    gate.resolve();
    await advance(ROUND);
    expect(driver.of('extend-lock')).toHaveLength(2);
  });
});

describe('LockManager.release', () => {
  it('sends unlock (token) for a lock with nothing saved, under the caller op', async () => {
    const { driver, manager } = setup();
    const lock = manager.hold('get', 'k', 't1')!;
    await manager.release('get', [lock]);
    expect(driver.calls).toEqual([{ script: 'unlock', key: 'k', args: ['t1'] }]);
    expect(manager.size).toBe(0);
  });

  it('puts a saved value back with restore-value and the ttl it has left', async () => {
    const { driver, manager } = setup();
    const lock = manager.hold('set', 'k', 't1', saved(10_000))!;
    await advance(4000);
    await manager.release('set', [lock]);
    expect(driver.of('restore-value')).toEqual([
      { script: 'restore-value', key: 'k', args: ['t1', '1', new TextEncoder().encode('prior'), '6000'] },
    ]);
    expect(driver.of('unlock')).toHaveLength(0);
  });

  it('restores a saved value that had no expiry with ttl 0', async () => {
    const { driver, manager } = setup();
    const lock = manager.hold('set', 'k', 't1', saved(-1))!;
    await advance(60_000);
    await manager.release('set', [lock]);
    expect(driver.of('restore-value').map((c) => c.args[3])).toEqual(['0']);
  });

  it('sends unlock when the saved value would have expired by now', async () => {
    const { driver, manager } = setup();
    const lock = manager.hold('set', 'k', 't1', saved(1000))!;
    await advance(1500);
    await manager.release('set', [lock]);
    expect(driver.of('restore-value')).toHaveLength(0);
    expect(driver.of('unlock')).toEqual([{ script: 'unlock', key: 'k', args: ['t1'] }]);
  });

  it('sends nothing for a lock not held: never held, forgotten, or released already', async () => {
    const { driver, manager } = setup();
    const forgotten = manager.hold('get', 'a', 'ta')!;
    manager.forget([forgotten]);
    const released = manager.hold('get', 'b', 'tb')!;
    await manager.release('get', [released]);
    expect(driver.calls).toHaveLength(1);
    await manager.release('get', [{ key: 'c', token: 'tc' }, forgotten, released]);
    expect(driver.calls).toHaveLength(1);
  });

  it('a release whose send rejects resolves, with a warning', async () => {
    const { driver, logger, manager } = setup();
    const lock = manager.hold('get', 'k', 't1')!;
    driver.failing = true;
    await expect(manager.release('get', [lock])).resolves.toBeUndefined();
    expect(vi.mocked(logger.warn).mock.calls[0]?.[0]).toBe('redcache: unlock failed');
  });
});

describe('LockManager.close', () => {
  it('stops renewing', async () => {
    const { driver, manager } = setup();
    manager.hold('get', 'k', 't1');
    manager.close();
    expect(vi.getTimerCount()).toBe(0);
    await advance(10 * ROUND);
    expect(driver.of('extend-lock')).toHaveLength(0);
  });

  it('a round in flight at close is the last one', async () => {
    const { driver, manager } = setup();
    const gate = deferred<void>();
    driver.gate = gate.promise;
    manager.hold('get', 'k', 't1');
    await advance(ROUND);
    manager.close();
    gate.resolve();
    await advance(10 * ROUND);
    expect(driver.of('extend-lock')).toHaveLength(1);
  });

  it('hold after close returns undefined, holds nothing and sends its release at once', async () => {
    const { driver, manager } = setup();
    manager.close();
    expect(manager.hold('get', 'a', 'ta')).toBeUndefined();
    expect(manager.hold('set', 'b', 'tb', saved(10_000))).toBeUndefined();
    expect(manager.size).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
    await manager.releaseAll();
    expect(driver.calls.map((c) => [c.script, c.key])).toEqual([
      ['unlock', 'a'],
      ['restore-value', 'b'],
    ]);
  });

  it('assertTaking throws ClosedError naming op and key once closed', () => {
    const { manager } = setup();
    expect(() => manager.assertTaking('get', 'k')).not.toThrow();
    manager.close();
    expect(() => manager.assertTaking('get', 'k')).toThrow(ClosedError);
    expect(() => manager.assertTaking('get', 'k')).toThrow(expect.objectContaining({ op: 'get', key: 'k' }));
  });
});

describe('LockManager.releaseAll', () => {
  it('releases every lock still held', async () => {
    const { driver, manager } = setup();
    manager.hold('get', 'a', 'ta');
    manager.hold('set', 'b', 'tb', saved(10_000));
    manager.close();
    await manager.releaseAll();
    expect(driver.calls.map((c) => [c.script, c.key])).toEqual([
      ['unlock', 'a'],
      ['restore-value', 'b'],
    ]);
    expect(manager.size).toBe(0);
  });

  /** Starts a release with `start` while the driver holds its answer; releaseAll must wait for it. */
  async function expectReleaseAllToWaitFor(start: (manager: LockManager) => void): Promise<void> {
    const { driver, manager } = setup();
    const gate = deferred<void>();
    driver.gate = gate.promise;
    start(manager);
    let done = false;
    void manager.releaseAll().then(() => {
      done = true;
    });
    await advance(0);
    expect(driver.calls).toHaveLength(1);
    expect(done).toBe(false);
    gate.resolve();
    await advance(0);
    expect(done).toBe(true);
    expect(driver.calls).toHaveLength(1);
  }

  it('waits for releases already under way', () =>
    expectReleaseAllToWaitFor((manager) => {
      void manager.release('get', [manager.hold('get', 'a', 'ta')!]);
    }));

  it('waits for the release of a lock won after close', () =>
    expectReleaseAllToWaitFor((manager) => {
      manager.close();
      manager.hold('get', 'a', 'ta');
    }));
});
