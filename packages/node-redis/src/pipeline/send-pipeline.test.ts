import type { Driver } from '@redcache/core';
import { getRedis, type RedisServer, startRedisServer } from '@redcache/redis-harness';
import type { RedisClientType } from '@redis/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeRedisDriver } from '../create-node-redis-driver.js';
import { info, plainClient, testPrefix, text, trackingClient } from '../test-support/redis.js';

const prefix = testPrefix('send');

describe('send', () => {
  let redis: { url: string; stop(): Promise<void> };
  let driver: Driver;

  beforeAll(async () => {
    redis = await getRedis();
    driver = createNodeRedisDriver(await trackingClient(redis.url));
  });
  afterAll(async () => {
    await driver?.close();
    await redis?.stop();
  });

  it('returns bytes for GET, "OK" for SET, null for a missing key, numbers for integers', async () => {
    const key = `${prefix}shapes`;
    const replies = await driver.send([
      { key, args: ['SET', key, 'v1', 'PX', '60000'] },
      { key, args: ['GET', key] },
      { key, args: ['GET', `${key}:missing`] },
      { key, args: ['PTTL', key] },
      { key, args: ['EXISTS', key] },
    ]);
    expect(replies[0]).toBe('OK');
    expect(replies[1]).toBeInstanceOf(Uint8Array);
    expect(text(replies[1])).toBe('v1');
    expect(replies[2]).toBeNull();
    expect(typeof replies[3]).toBe('number');
    expect(replies[3]).toBeGreaterThan(0);
    expect(replies[4]).toBe(1);
  });

  it('sends and returns binary values byte for byte, Uint8Array arguments included', async () => {
    const key = `${prefix}binary`;
    const value = new Uint8Array([0, 255, 13, 10, 128, 1]);
    const [set, get] = await driver.send([
      { key, args: ['SET', key, value, 'PX', '60000'] },
      { key, args: ['GET', key] },
    ]);
    expect(set).toBe('OK');
    expect(Buffer.from(get as Uint8Array).equals(Buffer.from(value))).toBe(true);
  });

  it('returns EVAL replies as arrays of integers, bytes and null (Lua false)', async () => {
    const key = `${prefix}eval`;
    const [reply] = await driver.send([
      { key, args: ['EVAL', 'return {1, ARGV[1], false, KEYS[1]}', '1', key, 'two'] },
    ]);
    expect(Array.isArray(reply)).toBe(true);
    const [one, two, nil, echoed] = reply as unknown[];
    expect(one).toBe(1);
    expect(text(two)).toBe('two');
    expect(nil).toBeNull();
    expect(text(echoed)).toBe(key);
  });

  it('maps RESP3-only types: doubles, booleans, big numbers, maps', async () => {
    const key = `${prefix}resp3`;
    const replies = await driver.send([
      { key, args: ['EVAL', 'redis.setresp(3); return {double=3.5}', '0'] },
      { key, args: ['EVAL', 'redis.setresp(3); return true', '0'] },
      { key, args: ['EVAL', "redis.setresp(3); return {big_number='123456789012345678901234567890'}", '0'] },
      { key, args: ['HSET', key, 'field', 'x'] },
      { key, args: ['HGETALL', key] },
      { key, args: ['DEL', key] },
    ]);
    expect(replies[0]).toBe(3.5);
    expect(replies[1]).toBe(1);
    expect(replies[2]).toBe('123456789012345678901234567890');
    expect((replies[4] as unknown[]).map(text)).toEqual(['field', 'x']);
  });

  it('puts an error reply in its own slot and the other replies in theirs', async () => {
    const key = `${prefix}error`;
    const replies = await driver.send([
      { key, args: ['SET', key, 'not a number', 'PX', '60000'] },
      { key, args: ['INCR', key] },
      { key, args: ['EVALSHA', 'ffffffffffffffffffffffffffffffffffffffff', '0'] },
      { key, args: ['GET', key] },
    ]);
    expect(replies[0]).toBe('OK');
    expect(replies[1]).toBeInstanceOf(Error);
    expect((replies[1] as Error).message).toMatch(/not an integer/);
    expect(replies[2]).toBeInstanceOf(Error);
    expect((replies[2] as Error).message).toMatch(/^NOSCRIPT/);
    expect(text(replies[3])).toBe('not a number');
  });

  it('one command alone: an error reply is its reply, an array reply comes normalized, bytes arguments go verbatim', async () => {
    const key = `${prefix}one`;
    const [refused] = await driver.send([
      { key, args: ['EVALSHA', 'ffffffffffffffffffffffffffffffffffffffff', '0'] },
    ]);
    expect(refused).toBeInstanceOf(Error);
    expect((refused as Error).message).toMatch(/^NOSCRIPT/);
    const [reply] = await driver.send([
      { key, args: ['EVAL', 'return {ARGV[1], 7, false}', '0', new Uint8Array([104, 105])] },
    ]);
    expect((reply as unknown[]).map((item) => (item === null ? null : text(item)))).toEqual([
      'hi',
      '7',
      null,
    ]);
    expect((reply as unknown[])[1]).toBe(7);
  });

  it('one command alone: a closed client rejects the call', async () => {
    const client = await trackingClient(redis.url);
    const closed = createNodeRedisDriver(client);
    await client.close();
    await expect(closed.send([{ key: 'k', args: ['GET', 'k'] }])).rejects.toThrow(/closed/i);
  });

  it('returns an empty array for no commands', async () => {
    expect(await driver.send([])).toEqual([]);
  });
});

describe('send pipelining (own server: counts the reads of the whole server)', () => {
  let server: RedisServer;
  let driver: Driver;
  let observer: RedisClientType;

  beforeAll(async () => {
    server = await startRedisServer();
    driver = createNodeRedisDriver(await trackingClient(server.url));
    observer = await plainClient(server.url);
  });
  afterAll(async () => {
    await driver?.close();
    await observer?.close();
    await server?.stop();
  });

  const reads = async () => Number((await info(observer, 'stats')).get('total_reads_processed'));
  const getCalls = async () => {
    const stats = (await info(observer, 'commandstats')).get('cmdstat_get') ?? 'calls=0';
    return Number(/calls=(\d+)/.exec(stats)?.[1]);
  };
  const commands = Array.from({ length: 40 }, (_, index) => {
    const key = `${prefix}pipeline:${index}`;
    return { key, args: ['GET', key] };
  });

  it('sends the commands of one call in one write: the server reads them at once', async () => {
    const callsBefore = await getCalls();
    const readsBefore = await reads();
    const replies = await driver.send(commands);
    const readsDelta = (await reads()) - readsBefore;
    expect(replies).toHaveLength(40);
    expect(await getCalls()).toBe(callsBefore + 40);
    // The observer's second INFO is one read; the 40 commands took one (two, should TCP split them).
    expect(readsDelta).toBeLessThanOrEqual(3);
  });

  it('(control) one call per command costs one read per command', async () => {
    const readsBefore = await reads();
    for (const command of commands) await driver.send([command]);
    expect((await reads()) - readsBefore).toBeGreaterThanOrEqual(40);
  });
});
