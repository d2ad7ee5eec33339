import { afterEach, describe, expect, it, vi } from 'vitest';
import { createMemoryRedis } from './memory-redis.js';

const get = (key: string) => ({ key, args: ['GET', key] });

afterEach(() => {
  vi.useRealTimers();
});

describe('memory Redis: expiry', () => {
  it('expires a key once the clock is past its deadline, and tells its trackers without any command', async () => {
    vi.useFakeTimers();
    const server = createMemoryRedis();
    const driver = server.connect();
    const seen: Array<string | null> = [];
    driver.onInvalidate((key) => seen.push(key));
    server.write('k', 'v', { pxMs: 100 });
    await driver.send([get('k')]);
    await vi.advanceTimersByTimeAsync(100);
    expect(server.pttl('k')).toBe(0);
    expect(seen).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(seen).toEqual(['k']);
    expect(server.peek('k')).toBeUndefined();
    expect(server.pttl('k')).toBe(-2);
  });

  it('with a custom clock: expires on the next command, or on sweep()', async () => {
    let now = 1_000;
    const server = createMemoryRedis({ now: () => now });
    const reader = server.connect();
    const writer = server.connect();
    const seen: Array<string | null> = [];
    reader.onInvalidate((key) => seen.push(key));
    await writer.send([
      { key: 'a', args: ['SET', 'a', '1', 'PX', '10'] },
      { key: 'b', args: ['SET', 'b', '2', 'PX', '20'] },
    ]);
    await reader.send([get('a'), get('b')]);
    now += 15;
    expect(await writer.send([{ key: 'c', args: ['SET', 'c', '3'] }])).toEqual(['OK']);
    await reader.send([get('probe')]);
    expect(seen).toEqual(['a']);
    now += 10;
    server.sweep();
    await reader.send([get('probe')]);
    expect(seen).toEqual(['a', 'b']);
    expect(server.keys()).toEqual(['c']);
  });

  it('SET without PX clears the ttl; PEXPIRE 0 deletes; a later deadline replaces an earlier one', async () => {
    let now = 0;
    const server = createMemoryRedis({ now: () => now });
    const driver = server.connect();
    await driver.send([
      { key: 'k', args: ['SET', 'k', 'v', 'PX', '10'] },
      { key: 'k', args: ['SET', 'k', 'w'] },
      { key: 'd', args: ['SET', 'd', 'v'] },
      { key: 'd', args: ['PEXPIRE', 'd', '0'] },
      { key: 'e', args: ['SET', 'e', 'v', 'PX', '10'] },
      { key: 'e', args: ['PEXPIRE', 'e', '100'] },
    ]);
    now = 50;
    expect([server.pttl('k'), server.pttl('d'), server.pttl('e')]).toEqual([-1, -2, 50]);
  });
});
