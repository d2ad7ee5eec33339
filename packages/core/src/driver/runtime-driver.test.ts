import { describe, expect, it, vi } from 'vitest';
import type { Driver, InvalidationListener, RedisCommand, RedisReply } from '../driver.js';
import { ClosedError, RedcacheError, RedisCommandError } from '../errors/errors.js';
import { NoopMetrics } from '../metrics.js';
import { defineScript } from '../wire/scripts/script.js';
import { RuntimeDriver, type ScriptCall } from './runtime-driver.js';

type Reply = RedisReply | Error;

/**
 * A scripted driver double: records every pipeline it is sent and answers with `answer`
 * (per pipeline), which may throw or reject to simulate a failed send.
 */
class ScriptedDriver implements Driver {
  readonly client = { raw: true };
  readonly sent: RedisCommand[][] = [];
  readonly listeners: InvalidationListener[] = [];
  closed = 0;
  answer: (commands: readonly RedisCommand[]) => Promise<Reply[]> = async (commands) =>
    commands.map(() => 'OK');
  slots: Record<string, number> = {};

  send(commands: readonly RedisCommand[]): Promise<Reply[]> {
    this.sent.push([...commands]);
    return this.answer(commands);
  }

  onInvalidate(listener: InvalidationListener): () => void {
    this.listeners.push(listener);
    return () => {
      this.listeners.splice(this.listeners.indexOf(listener), 1);
    };
  }

  slotOf(key: string): number {
    return this.slots[key] ?? 0;
  }

  async close(): Promise<void> {
    this.closed++;
  }
}

class RecordingMetrics extends NoopMetrics {
  readonly redisErrors: string[] = [];
  override redisError(op: string): void {
    this.redisErrors.push(op);
  }
}

function setup(): { driver: ScriptedDriver; metrics: RecordingMetrics; runtime: RuntimeDriver } {
  const driver = new ScriptedDriver();
  const metrics = new RecordingMetrics();
  return { driver, metrics, runtime: new RuntimeDriver(driver, metrics) };
}

const scriptA = defineScript('a', "return redis.call('GET', KEYS[1])");
const scriptB = defineScript('b', "return redis.call('PTTL', KEYS[1])");
const noScript = () => new Error('NOSCRIPT No matching script. Please use EVAL.');

/** The rejection of `promise`, checked to be an instance of `type`. */
async function rejection<E>(
  promise: Promise<unknown>,
  type: abstract new (...args: never[]) => E,
): Promise<E> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(type);
    return error as E;
  }
  throw new Error('expected a rejection');
}

const call = (script: typeof scriptA, keys: string[], ...args: string[]): ScriptCall => ({
  script,
  keys,
  args,
});

describe('RuntimeDriver.send', () => {
  it('passes the pipeline through and returns the replies, per-command errors in their slots', async () => {
    const { driver, metrics, runtime } = setup();
    const wrongType = new Error('WRONGTYPE Operation against a key holding the wrong kind of value');
    driver.answer = async () => ['v', wrongType, null];
    const commands: RedisCommand[] = [
      { key: 'a', args: ['GET', 'a'] },
      { key: 'b', args: ['GET', 'b'] },
      { key: 'c', args: ['GET', 'c'] },
    ];
    await expect(runtime.send('read', commands)).resolves.toEqual(['v', wrongType, null]);
    expect(driver.sent).toEqual([commands]);
    expect(metrics.redisErrors).toEqual([]);
  });

  it('hands the commands to the driver before it returns: sends of one tick go out in one write', async () => {
    const { driver, runtime } = setup();
    const sending = [
      runtime.send('get', [{ key: 'a', args: ['GET', 'a'] }]),
      runtime.evalScripts('get', [call(scriptA, ['b'])]),
    ];
    expect(driver.sent.map((commands) => commands[0]!.key)).toEqual(['a', 'b']);
    await Promise.all(sending);
  });

  it('wraps a rejected send in RedisCommandError naming op and the key, and counts redisError(op)', async () => {
    const { driver, metrics, runtime } = setup();
    const lost = new Error('socket closed');
    driver.answer = () => Promise.reject(lost);
    const error = await rejection(
      runtime.send('lock', [{ key: 'user:1', args: ['SET', 'user:1', 'x'] }]),
      RedisCommandError,
    );
    expect(RedcacheError.isInstance(error)).toBe(true);
    expect(error.code).toBe('E_REDIS');
    expect(error.op).toBe('lock');
    expect(error.key).toBe('user:1');
    expect(error.cause).toBe(lost);
    expect(error.message).toContain('lock');
    expect(error.message).toContain('"user:1"');
    expect(error.message).toContain('socket closed');
    expect(metrics.redisErrors).toEqual(['lock']);
  });

  it('names every key of a multi-command pipeline that failed', async () => {
    const { driver, metrics, runtime } = setup();
    driver.answer = () => Promise.reject(new Error('down'));
    const error = await rejection(
      runtime.send('getMulti', [
        { key: 'a', args: ['GET', 'a'] },
        { key: 'b', args: ['GET', 'b'] },
      ]),
      RedisCommandError,
    );
    expect(error.key).toEqual(['a', 'b']);
    expect(error.message).toContain('["a","b"]');
    expect(metrics.redisErrors).toEqual(['getMulti']);
  });

  it('wraps a driver that throws synchronously the same way', async () => {
    const { driver, metrics, runtime } = setup();
    const bad = new Error('sync failure');
    driver.answer = () => {
      throw bad;
    };
    const error = await rejection(
      runtime.send('read', [{ key: 'k', args: ['GET', 'k'] }]),
      RedisCommandError,
    );
    expect(error.cause).toBe(bad);
    expect(metrics.redisErrors).toEqual(['read']);
  });

  it('after markClosed rejects with ClosedError (op, first key) without calling the driver', async () => {
    const { driver, metrics, runtime } = setup();
    runtime.markClosed();
    const error = await rejection(
      runtime.send('get', [
        { key: 'k1', args: ['GET', 'k1'] },
        { key: 'k2', args: ['GET', 'k2'] },
      ]),
      ClosedError,
    );
    expect(error.code).toBe('E_CLOSED');
    expect(error.op).toBe('get');
    expect(error.key).toBe('k1');
    expect(driver.sent).toEqual([]);
    expect(metrics.redisErrors).toEqual([]);
  });

  it('close() closes the driver and refuses later sends', async () => {
    const { driver, runtime } = setup();
    await runtime.close();
    expect(driver.closed).toBe(1);
    await expect(runtime.send('get', [{ key: 'k', args: ['GET', 'k'] }])).rejects.toBeInstanceOf(ClosedError);
    await expect(runtime.evalScripts('read', [call(scriptA, ['k'])])).rejects.toBeInstanceOf(ClosedError);
    expect(driver.sent).toEqual([]);
  });
});

describe('RuntimeDriver.evalScripts', () => {
  it('sends EVAL with the source the first time, EVALSHA afterwards', async () => {
    const { driver, runtime } = setup();
    driver.answer = async (commands) => commands.map((_, i) => `r${i}`);
    await expect(runtime.evalScripts('read', [call(scriptA, ['k1'], 'x', 'y')])).resolves.toEqual(['r0']);
    await expect(runtime.evalScripts('read', [call(scriptA, ['k2'], 'z')])).resolves.toEqual(['r0']);
    expect(driver.sent).toEqual([
      [{ key: 'k1', args: ['EVAL', scriptA.source, '1', 'k1', 'x', 'y'] }],
      [{ key: 'k2', args: ['EVALSHA', scriptA.sha1, '1', 'k2', 'z'] }],
    ]);
  });

  it('tracks each script separately; a script used twice in its first pipeline goes by source once, then by SHA (was: by source twice)', async () => {
    const { driver, runtime } = setup();
    await runtime.evalScripts('set', [call(scriptA, ['a1']), call(scriptA, ['a2'])]);
    await runtime.evalScripts('set', [call(scriptA, ['a3']), call(scriptB, ['b1'])]);
    await runtime.evalScripts('set', [call(scriptB, ['b2'])]);
    expect(driver.sent.map((pipeline) => pipeline.map((c) => [c.args[0], c.key]))).toEqual([
      [
        ['EVAL', 'a1'],
        ['EVALSHA', 'a2'],
      ],
      [
        ['EVALSHA', 'a3'],
        ['EVAL', 'b1'],
      ],
      [['EVALSHA', 'b2']],
    ]);
  });

  it('sends a burst of first calls, made before any reply, by source once and by SHA after it (was: every call in flight by source)', async () => {
    const { driver, runtime } = setup();
    const replies: Array<() => void> = [];
    driver.answer = (commands) =>
      new Promise((resolve) => replies.push(() => resolve(commands.map(() => 'ok'))));
    const calls = ['k1', 'k2', 'k3'].map((key) => runtime.evalScripts('read', [call(scriptA, [key])]));
    expect(driver.sent.map((pipeline) => pipeline.map((c) => [c.args[0], c.key]))).toEqual([
      [['EVAL', 'k1']],
      [['EVALSHA', 'k2']],
      [['EVALSHA', 'k3']],
    ]);
    for (const reply of replies) reply();
    await expect(Promise.all(calls)).resolves.toEqual([['ok'], ['ok'], ['ok']]);
  });

  it('a first EVAL that never ran (its send failed) leaves the calls after it to NOSCRIPT and a resend by source', async () => {
    const { driver, runtime } = setup();
    let cached = false;
    driver.answer = async (commands) => {
      if (commands[0]?.key === 'k1') throw new Error('connection lost');
      return commands.map((command) => {
        if (command.args[0] === 'EVAL') cached = true;
        else if (!cached) return noScript();
        return `ran ${command.key}`;
      });
    };
    await expect(runtime.evalScripts('read', [call(scriptA, ['k1'])])).rejects.toBeInstanceOf(
      RedisCommandError,
    );
    await expect(runtime.evalScripts('read', [call(scriptA, ['k2'])])).resolves.toEqual(['ran k2']);
    await expect(runtime.evalScripts('read', [call(scriptA, ['k3'])])).resolves.toEqual(['ran k3']);
    expect(driver.sent.map((pipeline) => pipeline.map((c) => [c.args[0], c.key]))).toEqual([
      [['EVAL', 'k1']],
      [['EVALSHA', 'k2']],
      [['EVAL', 'k2']],
      [['EVALSHA', 'k3']],
    ]);
  });

  it('knows a script per server: its first use on another master goes by source (was: by SHA, a NOSCRIPT and a resend — an extra round trip on a cluster)', async () => {
    const { driver, runtime } = setup();
    const serverOf = (key: string) => (key.startsWith('a') ? 'host-a:6379' : 'host-b:6379');
    const seen = new Map<string, Set<string>>([
      ['host-a:6379', new Set()],
      ['host-b:6379', new Set()],
    ]);
    Object.assign(driver, { serverOf });
    driver.answer = async (commands) =>
      commands.map((command) => {
        const scripts = seen.get(serverOf(command.key!))!;
        if (command.args[0] === 'EVAL') scripts.add(String(command.args[1]));
        else if (!scripts.has(scriptA.source)) return noScript();
        return 'ok';
      });
    await runtime.evalScripts('read', [call(scriptA, ['a1'])]);
    await runtime.evalScripts('read', [call(scriptA, ['b1'])]);
    await runtime.evalScripts('read', [call(scriptA, ['a2'])]);
    await runtime.evalScripts('read', [call(scriptA, ['b2'])]);
    expect(driver.sent.map((pipeline) => pipeline.map((c) => [c.args[0], c.key]))).toEqual([
      [['EVAL', 'a1']],
      [['EVAL', 'b1']],
      [['EVALSHA', 'a2']],
      [['EVALSHA', 'b2']],
    ]);
  });

  it('passes numkeys, every key and binary arguments verbatim', async () => {
    const { driver, runtime } = setup();
    const bytes = new Uint8Array([0, 255]);
    await runtime.evalScripts('read', [{ script: scriptA, keys: ['a', 'b', 'c'], args: [bytes, 'x'] }]);
    expect(driver.sent[0]?.[0]).toEqual({
      key: 'a',
      args: ['EVAL', scriptA.source, '3', 'a', 'b', 'c', bytes, 'x'],
    });
    expect(driver.sent[0]?.[0]?.args[6]).toBe(bytes);
  });

  it('re-sends a NOSCRIPT call by source, alone, and puts its reply in place of the error', async () => {
    const { driver, metrics, runtime } = setup();
    await runtime.evalScripts('warm', [call(scriptA, ['w']), call(scriptB, ['w'])]);
    driver.sent.length = 0;
    const otherError = new Error('ERR something else');
    driver.answer = async (commands) =>
      commands[0]?.args[0] === 'EVALSHA' ? [noScript(), 'second', otherError] : ['first (retried)'];
    const replies = await runtime.evalScripts('read', [
      call(scriptA, ['k1'], 'arg'),
      call(scriptB, ['k2']),
      call(scriptB, ['k3']),
    ]);
    expect(replies).toEqual(['first (retried)', 'second', otherError]);
    expect(driver.sent).toEqual([
      [
        { key: 'k1', args: ['EVALSHA', scriptA.sha1, '1', 'k1', 'arg'] },
        { key: 'k2', args: ['EVALSHA', scriptB.sha1, '1', 'k2'] },
        { key: 'k3', args: ['EVALSHA', scriptB.sha1, '1', 'k3'] },
      ],
      [{ key: 'k1', args: ['EVAL', scriptA.source, '1', 'k1', 'arg'] }],
    ]);
    expect(metrics.redisErrors).toEqual([]);
  });

  it('retries several NOSCRIPT calls in one pipeline, keeping their positions', async () => {
    const { driver, runtime } = setup();
    await runtime.evalScripts('warm', [call(scriptA, ['w'])]);
    driver.answer = async (commands) =>
      commands[0]?.args[0] === 'EVALSHA' ? [noScript(), 'kept', noScript()] : ['retry 0', 'retry 2'];
    const replies = await runtime.evalScripts('read', [
      call(scriptA, ['k0']),
      call(scriptA, ['k1']),
      call(scriptA, ['k2']),
    ]);
    expect(replies).toEqual(['retry 0', 'kept', 'retry 2']);
    expect(driver.sent[2]?.map((c) => [c.args[0], c.key])).toEqual([
      ['EVAL', 'k0'],
      ['EVAL', 'k2'],
    ]);
  });

  it.each([
    ['ERR Error running script (call to f_x): @user_script:1: Script attempted to access nonexistent global'],
    ['BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.'],
    ['ERR NOSCRIPT appears but not first'],
  ])('does not retry another error reply: %s', async (message) => {
    const { driver, runtime } = setup();
    await runtime.evalScripts('warm', [call(scriptA, ['w'])]);
    const failure = new Error(message);
    driver.answer = async () => [failure];
    await expect(runtime.evalScripts('read', [call(scriptA, ['k'])])).resolves.toEqual([failure]);
    expect(driver.sent).toHaveLength(2);
  });

  it('does not retry a plain (non-error) reply that reads NOSCRIPT', async () => {
    const { driver, runtime } = setup();
    await runtime.evalScripts('warm', [call(scriptA, ['w'])]);
    driver.answer = async () => ['NOSCRIPT'];
    await expect(runtime.evalScripts('read', [call(scriptA, ['k'])])).resolves.toEqual(['NOSCRIPT']);
    expect(driver.sent).toHaveLength(2);
  });

  it('a NOSCRIPT reply to the retry itself is returned, not retried again', async () => {
    const { driver, runtime } = setup();
    await runtime.evalScripts('warm', [call(scriptA, ['w'])]);
    driver.answer = async () => [noScript()];
    const [reply] = await runtime.evalScripts('read', [call(scriptA, ['k'])]);
    expect(reply).toBeInstanceOf(Error);
    expect(driver.sent).toHaveLength(3);
  });

  it('a failed send becomes RedisCommandError naming the op and key', async () => {
    const { driver, metrics, runtime } = setup();
    driver.answer = () => Promise.reject(new Error('connection lost'));
    const error = await rejection(runtime.evalScripts('read', [call(scriptA, ['k'])]), RedisCommandError);
    expect(error.op).toBe('read');
    expect(error.key).toBe('k');
    expect(metrics.redisErrors).toEqual(['read']);
  });

  it('a failed NOSCRIPT retry becomes RedisCommandError and is counted', async () => {
    const { driver, metrics, runtime } = setup();
    await runtime.evalScripts('warm', [call(scriptA, ['w'])]);
    driver.answer = async (commands) => {
      if (commands[0]?.args[0] === 'EVALSHA') return [noScript()];
      throw new Error('lost during retry');
    };
    const error = await rejection(runtime.evalScripts('read', [call(scriptA, ['k'])]), RedisCommandError);
    expect(error.cause).toEqual(new Error('lost during retry'));
    expect(metrics.redisErrors).toEqual(['read']);
  });
});

describe('RuntimeDriver.groupBySlot', () => {
  it('groups by driver.slotOf, groups in order of first appearance, keys in order within a group', () => {
    const { driver, runtime } = setup();
    driver.slots = { a1: 5, b1: 9, a2: 5, c1: 0, b2: 9, a3: 5 };
    expect(runtime.groupBySlot(['a1', 'b1', 'a2', 'c1', 'b2', 'a3'])).toEqual([
      ['a1', 'a2', 'a3'],
      ['b1', 'b2'],
      ['c1'],
    ]);
  });

  it('puts everything in one group on a single server (slot 0)', () => {
    const { runtime } = setup();
    expect(runtime.groupBySlot(['x', 'y', 'z'])).toEqual([['x', 'y', 'z']]);
  });

  it('accepts any iterable, and gives no group for no keys', () => {
    const { driver, runtime } = setup();
    driver.slots = { a: 1, b: 2 };
    expect(runtime.groupBySlot(new Set(['a', 'b']))).toEqual([['a'], ['b']]);
    expect(runtime.groupBySlot([])).toEqual([]);
  });

  it('gives one key its own group', () => {
    const { driver, runtime } = setup();
    driver.slots = { a: 7 };
    expect(runtime.groupBySlot(['a'])).toEqual([['a']]);
  });

  it('asks the driver once per key', () => {
    const { driver, runtime } = setup();
    const slotOf = vi.spyOn(driver, 'slotOf');
    runtime.groupBySlot(['a', 'b', 'a']);
    expect(slotOf.mock.calls).toEqual([['a'], ['b'], ['a']]);
  });
});

describe('RuntimeDriver delegation', () => {
  it('exposes the raw client', () => {
    const { driver, runtime } = setup();
    expect(runtime.client).toBe(driver.client);
  });

  it('subscribes to invalidations through the driver and returns its unsubscribe', () => {
    const { driver, runtime } = setup();
    const seen: Array<string | null> = [];
    const unsubscribe = runtime.onInvalidate((key) => seen.push(key));
    expect(driver.listeners).toHaveLength(1);
    driver.listeners[0]?.('k');
    driver.listeners[0]?.(null);
    expect(seen).toEqual(['k', null]);
    unsubscribe();
    expect(driver.listeners).toHaveLength(0);
  });
});

describe('RuntimeDriver.evalMerged', () => {
  const LAYOUT = { many: scriptA, shared: 0, argsPerKey: 1, repliesPerKey: 1, maxKeys: 16 };
  const call = (key: string): ScriptCall => ({
    script: scriptA,
    keys: [key],
    args: [`arg-${key}`],
    merge: LAYOUT,
  });
  const node = (address: string) => ({ address, send: async () => [] });

  it('on a driver that lists one node, merges the calls of one tick into one script call', async () => {
    const { driver, runtime } = setup();
    Object.assign(driver, { nodes: () => [node('one')] });
    driver.answer = async (commands) => commands.map(() => ['x', 'y']);
    const replies = await Promise.all([
      runtime.evalMerged('get', [call('x')]),
      runtime.evalMerged('get', [call('y')]),
    ]);
    expect(driver.sent).toHaveLength(1);
    expect(driver.sent[0]!.map((command) => command.args)).toEqual([
      ['EVAL', scriptA.source, '2', 'x', 'y', 'arg-x', 'arg-y'],
    ]);
    // Each caller's one call gets its key's slice of the merged reply.
    expect(replies).toEqual([[['x']], [['y']]]);
  });

  it('on a driver that lists several nodes, or none, sends each call as evalScripts does, at once', async () => {
    for (const nodes of [() => [node('a'), node('b')], undefined]) {
      const { driver, runtime } = setup();
      if (nodes !== undefined) Object.assign(driver, { nodes });
      driver.answer = async (commands) => commands.map(() => 'v');
      const sending = Promise.all([
        runtime.evalMerged('get', [call('x')]),
        runtime.evalMerged('get', [call('y')]),
      ]);
      // Sent before the tick ends: not held for a merge.
      expect(driver.sent.map((pipeline) => pipeline.map((command) => command.key))).toEqual([['x'], ['y']]);
      expect(await sending).toEqual([['v'], ['v']]);
    }
  });

  it('on a driver that learns its nodes first, sends each call unmerged until they are known; a failure to list them is no unhandled rejection', async () => {
    const { driver, runtime } = setup();
    let listed!: (nodes: unknown[]) => void;
    Object.assign(driver, { nodes: () => new Promise((resolve) => (listed = resolve)) });
    driver.answer = async (commands) => commands.map(() => ['v', 'v']);
    await Promise.all([runtime.evalMerged('get', [call('x')]), runtime.evalMerged('get', [call('y')])]);
    expect(driver.sent).toHaveLength(2);
    listed([node('one')]);
    await new Promise((resolve) => setImmediate(resolve));
    await Promise.all([runtime.evalMerged('get', [call('x')]), runtime.evalMerged('get', [call('y')])]);
    expect(driver.sent).toHaveLength(3);

    const failing = setup();
    Object.assign(failing.driver, { nodes: () => Promise.reject(new Error('the check failed')) });
    failing.driver.answer = async (commands) => commands.map(() => 'v');
    expect(await failing.runtime.evalMerged('get', [call('x')])).toEqual(['v']);
    await new Promise((resolve) => setImmediate(resolve));
    expect(await failing.runtime.evalMerged('get', [call('y')])).toEqual(['v']);
  });
});
