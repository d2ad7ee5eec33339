import { describe, expect, it } from 'vitest';
import type { RedisReply } from '../driver.js';
import { ClosedError } from '../errors/errors.js';
import { CommandTimeoutError } from '../errors/resilience-errors.js';
import { defineScript } from '../wire/scripts/script.js';
import { MergedReplyError, type MergeLayout } from './merge-layout.js';
import type { ScriptCall } from './script-call.js';
import { type MergeSender, ScriptMerge } from './script-merge.js';

// Two layouts like the engine's: a read of two entries per key after one shared argument, and
// a write whose one-key form is another script, answering its key's entry alone.
const read = defineScript('read', 'return 1');
const writeOne = defineScript('write-one', 'return 1');
const writeMany = defineScript('write-many', 'return 2');
const READ: MergeLayout = { many: read, shared: 1, argsPerKey: 1, repliesPerKey: 2, maxKeys: 4 };
const WRITE: MergeLayout = { many: writeMany, shared: 0, argsPerKey: 2, repliesPerKey: 1, maxKeys: 4 };

const readCall = (keys: string[], ttl = '5000'): ScriptCall => ({
  script: read,
  keys,
  args: [ttl, ...keys.map((key) => `tok-${key}`)],
  merge: READ,
});
const writeCall = (key: string): ScriptCall => ({
  script: writeOne,
  keys: [key],
  args: [`tok-${key}`, `value-${key}`],
  merge: WRITE,
});

interface Sent {
  readonly op: string;
  readonly phase: string;
  readonly calls: readonly ScriptCall[];
  readonly onLate: ((replies: Array<RedisReply | Error>) => void) | undefined;
  answer(replies: Array<RedisReply | Error>): void;
  fail(error: unknown): void;
}

/** A sender that records each pipeline and lets the test answer it; keys starting with `x` are in slot 1. */
function recorder() {
  const sent: Sent[] = [];
  const counted: Array<[string, string]> = [];
  const sender: MergeSender = {
    slotOf: (key) => (key.startsWith('x') ? 1 : 0),
    send: (op, calls, phase, onLate, answered) =>
      new Promise((resolve, reject) => {
        const answer = (replies: Array<RedisReply | Error>) => {
          answered(replies);
          resolve(replies);
        };
        sent.push({ op, phase, calls, onLate, answer, fail: reject });
      }),
    countAgain: (_error, op, phase) => {
      counted.push([op, phase]);
    },
  };
  return { merge: new ScriptMerge(sender), sent, counted };
}

/** Each key's two read entries, in order. */
const readReply = (keys: readonly string[]): RedisReply[] => keys.flatMap((key) => [`v-${key}`, 100]);
const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('ScriptMerge', () => {
  it('merges the calls of one tick into one call per layout, the shared argument once, and gives each caller its own replies', async () => {
    const { merge, sent } = recorder();
    const a = merge.add('get', [readCall(['a'])], 'read', undefined);
    const b = merge.add('getMulti', [readCall(['b', 'c'])], 'read', undefined);
    // A caller a few promise reactions later in the same tick still joins.
    const d = Promise.resolve()
      .then(() => undefined)
      .then(() => merge.add('get', [readCall(['d'])], 'read', undefined));
    await tick();
    expect(sent).toHaveLength(1);
    expect(sent[0]!.calls).toEqual([
      { script: read, keys: ['a', 'b', 'c', 'd'], args: ['5000', 'tok-a', 'tok-b', 'tok-c', 'tok-d'] },
    ]);
    sent[0]!.answer([readReply(['a', 'b', 'c', 'd'])]);
    expect(await a).toEqual([readReply(['a'])]);
    expect(await b).toEqual([readReply(['b', 'c'])]);
    expect(await d).toEqual([readReply(['d'])]);
  });

  it('sends a call alone in its merge as it is, and a one-key call of another script gets its entry, not an array', async () => {
    const { merge, sent } = recorder();
    const alone = writeCall('a');
    const a = merge.add('get', [alone], 'set', undefined);
    await tick();
    expect(sent[0]!.calls[0]).toBe(alone);
    sent[0]!.answer([1]);
    expect(await a).toEqual([1]);

    const b = merge.add('get', [writeCall('b')], 'set', undefined);
    const c = merge.add('get', [writeCall('c')], 'set', undefined);
    await tick();
    expect(sent[1]!.calls).toEqual([
      { script: writeMany, keys: ['b', 'c'], args: ['tok-b', 'value-b', 'tok-c', 'value-c'] },
    ]);
    sent[1]!.answer([[0, 1]]);
    expect(await b).toEqual([0]);
    expect(await c).toEqual([1]);
  });

  it('puts at most maxKeys keys in a merged call and never splits a call; other shared arguments, slots and phases go apart', async () => {
    const { merge, sent } = recorder();
    const replies = [
      merge.add('get', [readCall(['a', 'b', 'c'])], 'read', undefined),
      merge.add('get', [readCall(['d', 'e'])], 'read', undefined),
      merge.add('get', [readCall(['f'])], 'read', undefined),
      merge.add('get', [readCall(['g'], '9000')], 'read', undefined),
      merge.add('get', [readCall(['x1'])], 'read', undefined),
      merge.add('get', [writeCall('h')], 'set', undefined),
    ];
    await tick();
    // Slot 0's reads, slot 1's read, and the write: three pipelines.
    expect(sent.map((s) => [s.phase, s.calls.map((call) => call.keys)])).toEqual([
      ['read', [['a', 'b', 'c'], ['d', 'e', 'f'], ['g']]],
      ['read', [['x1']]],
      ['set', [['h']]],
    ]);
    expect(sent[0]!.calls[1]!.args).toEqual(['5000', 'tok-d', 'tok-e', 'tok-f']);
    expect(sent[0]!.calls[2]!.args).toEqual(['9000', 'tok-g']);
    sent[0]!.answer([readReply(['a', 'b', 'c']), readReply(['d', 'e', 'f']), readReply(['g'])]);
    sent[1]!.answer([readReply(['x1'])]);
    sent[2]!.answer([1]);
    expect(await Promise.all(replies)).toEqual([
      [readReply(['a', 'b', 'c'])],
      [readReply(['d', 'e'])],
      [readReply(['f'])],
      [readReply(['g'])],
      [readReply(['x1'])],
      [1],
    ]);
  });

  it("keeps a caller's several calls in their order, each merged on its own", async () => {
    const { merge, sent } = recorder();
    const a = merge.add('getMulti', [readCall(['a', 'b']), readCall(['c'])], 'read', undefined);
    const d = merge.add('get', [readCall(['d'])], 'read', undefined);
    await tick();
    expect(sent[0]!.calls.map((call) => call.keys)).toEqual([['a', 'b', 'c', 'd']]);
    sent[0]!.answer([readReply(['a', 'b', 'c', 'd'])]);
    expect(await a).toEqual([readReply(['a', 'b']), readReply(['c'])]);
    expect(await d).toEqual([readReply(['d'])]);
  });

  it('gives each call of a merged call that failed as a whole a MergedReplyError, and a call sent alone its error as it is', async () => {
    const { merge, sent } = recorder();
    const a = merge.add('get', [readCall(['a'])], 'read', undefined);
    const b = merge.add('get', [readCall(['b'])], 'read', undefined);
    const x = merge.add('get', [readCall(['x1'])], 'read', undefined);
    await tick();
    const oom = new Error('OOM command not allowed');
    sent[0]!.answer([oom]);
    sent[1]!.answer([oom]);
    const [ra, rb, rx] = await Promise.all([a, b, x]);
    expect(ra![0]).toBeInstanceOf(MergedReplyError);
    expect((ra![0] as MergedReplyError).reply).toBe(oom);
    expect(rb![0]).toBeInstanceOf(MergedReplyError);
    expect(rx![0]).toBe(oom);

    // A reply of another shape (too few entries) fails the merged call as a whole too.
    const c = merge.add('get', [readCall(['c'])], 'read', undefined);
    const d = merge.add('get', [readCall(['d'])], 'read', undefined);
    await tick();
    sent[2]!.answer([readReply(['c'])]);
    expect((await c)[0]).toBeInstanceOf(MergedReplyError);
    expect((await d)[0]).toBeInstanceOf(MergedReplyError);
  });

  it('rejects each caller of a failed send with an error naming its own operation and key, counted once per caller', async () => {
    const { merge, sent, counted } = recorder();
    const a = merge.add('get', [readCall(['a'])], 'read', undefined);
    const b = merge.add('getMulti', [readCall(['b']), readCall(['c'])], 'read', undefined);
    await tick();
    sent[0]!.fail(new CommandTimeoutError('get', ['a', 'b', 'c'], 250, '127.0.0.1:6379'));
    const [ea, eb] = await Promise.all([a.catch((e: unknown) => e), b.catch((e: unknown) => e)]);
    expect(ea).toBeInstanceOf(CommandTimeoutError);
    expect(ea).toMatchObject({ op: 'get', key: 'a', timeoutMs: 250, server: '127.0.0.1:6379' });
    expect(eb).toBeInstanceOf(CommandTimeoutError);
    expect(eb).toMatchObject({ op: 'getMulti', key: ['b', 'c'] });
    // The send counted its failure once (for the first caller); the second is counted here.
    expect(counted).toEqual([['getMulti', 'read']]);

    const closed = merge.add('peek', [readCall(['d'])], 'read', undefined);
    await tick();
    sent[1]!.fail(new ClosedError('get', 'd'));
    await expect(closed).rejects.toMatchObject({ name: 'ClosedError', op: 'peek', key: 'd' });
  });

  it("hands each caller with an onLate its own calls' late replies", async () => {
    const { merge, sent } = recorder();
    const lateA: unknown[] = [];
    const lateB: unknown[] = [];
    const a = merge.add('get', [readCall(['a'])], 'read', (late) => lateA.push(late));
    const b = merge.add('get', [readCall(['b', 'c'])], 'read', (late) => lateB.push(late));
    const quiet = merge.add('get', [readCall(['d'])], 'read', undefined);
    await tick();
    sent[0]!.onLate!([readReply(['a', 'b', 'c', 'd'])]);
    expect(lateA).toEqual([[readReply(['a'])]]);
    expect(lateB).toEqual([[readReply(['b', 'c'])]]);
    sent[0]!.fail(new CommandTimeoutError('get', 'a', 250));
    await Promise.allSettled([a, b, quiet]);
  });

  it('rejects the caller whose key has no slot, and sends the others', async () => {
    const sent: Sent[] = [];
    const merge = new ScriptMerge({
      slotOf: (key) => {
        if (key === 'bad') throw new Error('no slot for bad');
        return 0;
      },
      send: (op, calls, phase, onLate, answered) =>
        new Promise((resolve, reject) =>
          sent.push({
            op,
            phase,
            calls,
            onLate,
            answer: (r) => {
              answered(r);
              resolve(r);
            },
            fail: reject,
          }),
        ),
      countAgain: () => {},
    });
    const bad = merge.add('get', [readCall(['bad'])], 'read', undefined);
    const good = merge.add('get', [readCall(['good'])], 'read', undefined);
    await expect(bad).rejects.toThrow('no slot for bad');
    await tick();
    expect(sent.map((s) => s.calls.map((call) => call.keys))).toEqual([[['good']]]);
    sent[0]!.answer([readReply(['good'])]);
    expect(await good).toEqual([readReply(['good'])]);
  });
});
