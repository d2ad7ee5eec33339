import { Conn, type Driver, newStringCache, StringCodec } from '@redcache/core';
import { setIfLockedManyScript, setIfLockedScript } from '@redcache/core/wire';
import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryRedis } from '../memory/memory-redis.js';
import { storedText } from '../test-support/engine-process.js';
import { runs } from '../test-support/gated-driver.js';
import { withSend } from '../test-support/with-send.js';

// A getMulti's values go to Redis as set-if-locked-many scripts over a few keys each, not a
// set-if-locked per key; a chunk that fails as a whole (TRYAGAIN on a slot being migrated,
// where a script over several keys is refused while one over a single key is served) is
// written again key by key.

/** The scripts sent through `driver`, each as [name, keys declared]. */
function recording(inner: Driver, tryAgainOnMany = false) {
  const sent: Array<[string, number]> = [];
  const driver = withSend(inner, (commands) => {
    for (const command of commands) {
      if (runs(command, setIfLockedManyScript)) sent.push(['set-if-locked-many', Number(command.args[2])]);
      else if (runs(command, setIfLockedScript)) sent.push(['set-if-locked', 1]);
    }
    if (tryAgainOnMany && commands.some((command) => runs(command, setIfLockedManyScript)))
      return Promise.resolve(
        commands.map(() => new Error('TRYAGAIN Multiple keys request during rehashing of slot')),
      );
    return inner.send(commands);
  });
  return { driver, sent };
}

const keys = (count: number, tag = '') => Array.from({ length: count }, (_, i) => `${tag}k${i}`);
const loadAll = async (wanted: string[]) => new Map(wanted.map((key) => [key, `v ${key}`]));

let conn: Conn | undefined;
afterEach(async () => {
  await conn?.close();
});

describe('the values of a cold getMulti', () => {
  it('go as set-if-locked-many scripts of at most 8 keys (20 keys: 8, 8, 4), every value stored', async () => {
    const server = createMemoryRedis();
    const { driver, sent } = recording(server.connect());
    conn = Conn.open(driver);
    const values = await newStringCache(conn, StringCodec).getMulti(keys(20), 60_000, loadAll);
    expect(values.size).toBe(20);
    expect(sent).toEqual([
      ['set-if-locked-many', 8],
      ['set-if-locked-many', 8],
      ['set-if-locked-many', 4],
    ]);
    for (const key of keys(20))
      expect(storedText(server, key)).toMatch(new RegExp(`^__redcache:v1:\\d+:v ${key}$`));
  });

  it('a get writes its one value with set-if-locked, as before', async () => {
    const server = createMemoryRedis();
    const { driver, sent } = recording(server.connect());
    conn = Conn.open(driver);
    expect(await newStringCache(conn, StringCodec).get('one', 60_000, async () => 'v')).toBe('v');
    expect(sent).toEqual([['set-if-locked', 1]]);
  });

  it('on a slot being migrated (TRYAGAIN to the script over several keys): written again key by key, every value stored and returned', async () => {
    const server = createMemoryRedis({ cluster: true });
    const { driver, sent } = recording(server.connect(), true);
    conn = Conn.open(driver);
    const tagged = keys(3, '{mig}:');
    const values = await newStringCache(conn, StringCodec).getMulti(tagged, 60_000, loadAll);
    expect(values).toEqual(new Map(tagged.map((key) => [key, `v ${key}`])));
    expect(sent).toEqual([
      ['set-if-locked-many', 3],
      ['set-if-locked', 1],
      ['set-if-locked', 1],
      ['set-if-locked', 1],
    ]);
    for (const key of tagged) expect(storedText(server, key)).toMatch(/^__redcache:v1:\d+:v /);
  });
});
