import { afterEach, describe, expect, it } from 'vitest';
import { EventTally, type ForkedChild, forkChild, parseIntOptions } from '../src/index.js';
import type { EchoChannel } from './echo-channel.js';

const echoChild = new URL('./echo-child.ts', import.meta.url);
const children: ForkedChild<EchoChannel>[] = [];
const spawn = async (prefix = '') => {
  const child = await forkChild<EchoChannel>(echoChild, [prefix], { name: 'echo' });
  children.push(child);
  return child;
};
afterEach(async () => {
  await Promise.all(children.splice(0).map((child) => child.close()));
});

describe('forkChild and serveParent', () => {
  it('matches replies to requests, whatever order they come back in', async () => {
    const child = await spawn('> ');
    const slow = child.request({ type: 'echo', text: 'slow', delayMs: 100 });
    const fast = child.request({ type: 'echo', text: 'fast', delayMs: 0 });
    expect(await Promise.race([slow, fast])).toBe('> fast');
    expect(await slow).toBe('> slow');
  });

  it('passes events to the waiter that matches them', async () => {
    const child = await spawn();
    const started = child.nextEvent((event) => event.text === 'b');
    await child.request({ type: 'echo', text: 'a', delayMs: 0 });
    await child.request({ type: 'echo', text: 'b', delayMs: 0 });
    expect(await started).toEqual({ type: 'started', text: 'b' });
  });

  it('rejects the one request the child failed; the child goes on', async () => {
    const child = await spawn();
    await expect(child.request({ type: 'fail', message: 'no such thing' })).rejects.toThrow(
      `echo ${child.pid}: Error: no such thing`,
    );
    expect(await child.request({ type: 'echo', text: 'still here', delayMs: 0 })).toBe('still here');
  });

  it('rejects what is pending, and what comes after, when the child is killed', async () => {
    const child = await spawn();
    const event = child.nextEvent(() => true);
    const pending = child.request({ type: 'echo', text: 'never', delayMs: 60_000 });
    await event;
    child.kill();
    await expect(pending).rejects.toThrow(`echo ${child.pid} exited (SIGKILL)`);
    await expect(child.request({ type: 'echo', text: 'late', delayMs: 0 })).rejects.toThrow('exited');
  });

  it('rejects with the exit code when the child exits by itself', async () => {
    const child = await spawn();
    await expect(child.request({ type: 'exit', code: 3 })).rejects.toThrow(`echo ${child.pid} exited (3)`);
  });

  it('close() lets the child exit by itself', async () => {
    const child = await spawn();
    await child.close();
    expect(child.process.exitCode).toBe(0);
    await child.close();
  });
});

describe('EventTally', () => {
  it('tallies lock attempts and ended waits per key and in total', () => {
    const tally = new EventTally({ problems: 'ignore' });
    tally.debug('redcache: lock attempt', { op: 'get', key: 'a', acquired: true });
    tally.debug('redcache: lock attempt', { op: 'get', key: 'b', acquired: false });
    tally.debug('redcache: wait ended', {
      op: 'getMulti',
      keys: ['a', 'b'],
      reason: 'invalidation',
      waitedMs: 3,
    });
    tally.debug('redcache: wait ended', { op: 'get', keys: ['b'], reason: 'poll', waitedMs: 700 });
    tally.debug('redcache: something else', { key: 'a' });
    expect(tally.of('a')).toEqual({ lockAttempts: 1, locksAcquired: 1, wakes: { invalidation: 1 } });
    expect(tally.of('b')).toEqual({ lockAttempts: 1, locksAcquired: 0, wakes: { invalidation: 1, poll: 1 } });
    expect({ ...tally }).toEqual({ lockAttempts: 2, locksAcquired: 1, wakes: { invalidation: 1, poll: 1 } });
    expect(tally.of('c')).toEqual({ lockAttempts: 0, locksAcquired: 0, wakes: {} });
  });
});

describe('parseIntOptions', () => {
  const spec = { rounds: { default: 3 }, keys: { default: 3, max: 100 }, offset: { default: 0, min: 0 } };

  it('gives the defaults, reads values, and skips every bare --', () => {
    expect(parseIntOptions([], spec)).toEqual({ help: false, values: { rounds: 3, keys: 3, offset: 0 } });
    expect(parseIntOptions(['--', '--rounds', '5', '--', '--keys=7'], spec)).toEqual({
      help: false,
      values: { rounds: 5, keys: 7, offset: 0 },
    });
  });

  it('says --help before it checks anything else', () => {
    expect(parseIntOptions(['--keys', '0', '--help'], spec)).toEqual({ help: true });
  });

  it('throws on values out of range, unknown options and stray arguments', () => {
    expect(() => parseIntOptions(['--rounds', '0'], spec)).toThrow('--rounds must be a positive integer');
    expect(() => parseIntOptions(['--rounds', '1.5'], spec)).toThrow('--rounds must be a positive integer');
    expect(() => parseIntOptions(['--keys', '101'], spec)).toThrow(
      '--keys must be a whole number from 1 to 100',
    );
    expect(() => parseIntOptions(['--offset=-1'], spec)).toThrow(
      '--offset must be a whole number of at least 0',
    );
    expect(() => parseIntOptions(['--nope', '1'], spec)).toThrow(/nope/);
    expect(() => parseIntOptions(['stray'], spec)).toThrow(/stray/);
  });
});
