import { Conn, type Driver, newStringCache, StringCodec } from '@redcache/core';
import { readOrLockScript } from '@redcache/core/wire';
import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryRedis } from './memory/memory-redis.js';
import { withSend } from './test-support/with-send.js';

// A slot in the middle of a migration: Redis answers TRYAGAIN to a script over several of its
// keys when they are split between the two nodes (or, on the target, not all there yet), for
// as long as the migration lasts; a command over one key is always served.

const isMultiKeyRead = (args: readonly unknown[]) =>
  (args[0] === 'EVALSHA' && args[1] === readOrLockScript.sha1) ||
  (args[0] === 'EVAL' && args[1] === readOrLockScript.source)
    ? Number(args[2]) > 1
    : false;

/** A memory cluster whose every multi-key read is answered TRYAGAIN, counted in `tally`. */
function migratingDriver(inner: Driver, tally: { tryAgains: number }): Driver {
  return withSend(inner, async (commands) => {
    if (!commands.some((command) => isMultiKeyRead(command.args))) return inner.send(commands);
    tally.tryAgains++;
    return commands.map(() => new Error('TRYAGAIN Multiple keys request during rehashing of slot'));
  });
}

let conn: Conn | undefined;
afterEach(async () => {
  await conn?.close();
});

describe('getMulti on a slot being migrated', () => {
  it('reads the keys of a TRYAGAIN group one by one: the call succeeds, with one loader call', async () => {
    const server = createMemoryRedis({ cluster: true });
    const tally = { tryAgains: 0 };
    const driver = migratingDriver(server.connect(), tally);
    conn = Conn.open(driver);
    const cache = newStringCache(conn, StringCodec);
    const keys = ['{mig}:a', '{mig}:b', '{mig}:c'];
    expect(new Set(keys.map((key) => driver.slotOf(key))).size).toBe(1);
    server.write('{mig}:a', '__redcache:v1:0:stored');

    const asked: string[][] = [];
    const values = await cache.getMulti(keys, 60_000, async (missing) => {
      asked.push([...missing]);
      return new Map(missing.map((key) => [key, `loaded ${key}`]));
    });

    expect(tally.tryAgains).toBeGreaterThan(0);
    expect(values).toEqual(
      new Map([
        ['{mig}:a', 'stored'],
        ['{mig}:b', 'loaded {mig}:b'],
        ['{mig}:c', 'loaded {mig}:c'],
      ]),
    );
    expect(asked).toEqual([['{mig}:b', '{mig}:c']]);
  });
});
