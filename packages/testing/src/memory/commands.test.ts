import { keySlot } from '@redcache/core';
import { readValuesScript, restoreValueScript, unlockScript } from '@redcache/core/wire';
import { describe, expect, it } from 'vitest';
import { createMemoryRedis } from './memory-redis.js';

const text = (reply: unknown) => (reply instanceof Uint8Array ? new TextDecoder().decode(reply) : reply);
const run = async (args: string[], server = createMemoryRedis()) => {
  const [reply] = await server.connect().send([{ key: args[1] ?? '', args }]);
  return reply;
};

describe('memory Redis: commands', () => {
  it('SET takes NX | XX, GET, PX | EX, and refuses anything else', async () => {
    const server = createMemoryRedis({ now: () => 0 });
    const driver = server.connect();
    const replies = await driver.send([
      { key: 'k', args: ['SET', 'k', 'a', 'XX'] },
      { key: 'k', args: ['SET', 'k', 'a', 'EX', '2'] },
      { key: 'k', args: ['SET', 'k', 'b', 'XX', 'GET', 'px', '500'] },
      { key: 'k', args: ['SET', 'k', 'c', 'NX', 'XX'] },
      { key: 'k', args: ['SET', 'k', 'c', 'PX', '1.5'] },
      { key: 'k', args: ['SET', 'k', 'c', 'PX', '-1'] },
      { key: 'k', args: ['SET', 'k', 'c', 'PX'] },
      { key: 'k', args: ['SET', 'k'] },
    ]);
    expect(replies.slice(0, 3).map(text)).toEqual([null, 'OK', 'a']);
    expect(server.pttl('k')).toBe(500);
    expect(replies.slice(3).map((reply) => (reply as Error).message)).toEqual([
      'ERR syntax error',
      'ERR value is not an integer or out of range',
      "ERR invalid expire time in 'set' command",
      'ERR syntax error',
      "ERR wrong number of arguments for 'set' command",
    ]);
  });

  it('answers EXISTS (tracked), and refuses unknown commands by name', async () => {
    const server = createMemoryRedis();
    server.write('a', '1');
    expect(await run(['EXISTS', 'a', 'b', 'a'], server)).toBe(2);
    const unknown = await run(['HGETALL', 'h']);
    expect(unknown).toBeInstanceOf(Error);
    expect((unknown as Error).message).toMatch(/^ERR unknown command 'hgetall'/);
  });

  it('EVAL of a script that has no twin is an error reply; the script is not remembered', async () => {
    const driver = createMemoryRedis().connect();
    const [reply] = await driver.send([
      { key: 'k', args: ['EVAL', "return redis.call('GET', KEYS[1])", '1', 'k'] },
    ]);
    expect((reply as Error).message).toMatch(/no JavaScript twin/);
  });

  it('EVAL remembers a script for EVALSHA until flushScripts(); bad numkeys are error replies', async () => {
    const server = createMemoryRedis();
    const driver = server.connect();
    const evalsha = { key: 'k', args: ['EVALSHA', unlockScript.sha1, '1', 'k', 'lock'] };
    expect(await driver.send([evalsha])).toEqual([
      expect.objectContaining({ message: expect.stringMatching(/^NOSCRIPT/) }),
    ]);
    await driver.send([{ key: 'k', args: ['EVAL', unlockScript.source, '1', 'k', 'lock'] }]);
    expect(await driver.send([evalsha])).toEqual([0]);
    server.flushScripts();
    expect(((await driver.send([evalsha]))[0] as Error).message).toMatch(/^NOSCRIPT/);
    const numkeys = (n: string) => ({ key: 'k', args: ['EVAL', readValuesScript.source, n, 'k'] });
    const [negative, tooMany, notANumber] = await driver.send([numkeys('-1'), numkeys('2'), numkeys('x')]);
    expect((negative as Error).message).toMatch(/negative/);
    expect((tooMany as Error).message).toMatch(/greater than/);
    expect((notANumber as Error).message).toMatch(/not an integer/);
  });

  it('an error reply inside a script fails the script and names it', async () => {
    const server = createMemoryRedis();
    const driver = server.connect();
    server.write('k', 'lock');
    const [reply] = await driver.send([
      { key: 'k', args: ['EVAL', restoreValueScript.source, '1', 'k', 'lock', '1', 'prior', '1.5'] },
    ]);
    expect((reply as Error).message).toMatch(/not an integer.*'restore-value'/);
  });

  it('in cluster mode: slotOf is the CRC16 slot, and a script over keys in two slots is CROSSSLOT', async () => {
    const server = createMemoryRedis({ cluster: true });
    const driver = server.connect();
    expect(driver.slotOf('user:42')).toBe(keySlot('user:42'));
    expect(createMemoryRedis().connect().slotOf('user:42')).toBe(0);
    const eval2 = (a: string, b: string) => ({ key: a, args: ['EVAL', readValuesScript.source, '2', a, b] });
    const [cross, same] = await driver.send([eval2('a', 'b'), eval2('{t}a', '{t}b')]);
    expect((cross as Error).message).toMatch(/^CROSSSLOT/);
    expect(same).toEqual([null, -2, null, -2]);
  });

  it('write, peek, pttl and keys look at the server without tracking', async () => {
    const server = createMemoryRedis({ now: () => 0 });
    const driver = server.connect();
    const seen: Array<string | null> = [];
    driver.onInvalidate((key) => seen.push(key));
    server.write('k', new Uint8Array([1, 2]), { pxMs: 10 });
    expect([...(server.peek('k') ?? [])]).toEqual([1, 2]);
    expect([server.pttl('k'), server.pttl('missing'), server.keys()]).toEqual([10, -2, ['k']]);
    expect(driver.isTracking('k')).toBe(false);
    await driver.send([{ key: 'k', args: ['GET', 'k'] }]);
    server.write('k', null);
    await driver.send([{ key: 'p', args: ['GET', 'p'] }]);
    expect(seen).toEqual(['k']);
    expect(server.keys()).toEqual([]);
  });
});
