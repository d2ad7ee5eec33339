import { newStringCache, StringCodec } from '@redcache/core';
import { startRedisServer } from '@redcache/redis-harness';
import { describe, expect, it } from 'vitest';
import { invalidated } from '../../src/counting-driver.js';
import { keyPrefix, openConn } from '../../src/open-conn.js';

const prefix = keyPrefix('flushall');

// On its own server: a FLUSHALL would wipe what the other test files are doing.
describe('FLUSHALL', () => {
  it('FLUSHALL (a null invalidation) drops every near-cache entry', async () => {
    const server = await startRedisServer();
    try {
      const t = await openConn(server.url);
      const cache = newStringCache(t.conn, StringCodec);
      const keys = [`${prefix}flush-a`, `${prefix}flush-b`];
      for (const key of keys) await cache.get(key, 60_000, async () => 'before');
      const flushed = invalidated(t.driver, keys);
      // On the Conn's own connection, through its driver (whichever the project runs).
      const [reply] = await t.driver.send([{ key: '', args: ['FLUSHALL'] }]);
      expect(reply).toBe('OK');
      await flushed;
      for (const key of keys) expect(await cache.get(key, 60_000, async () => 'reloaded')).toBe('reloaded');
      await t.conn.close();
    } finally {
      await server.stop();
    }
  });
});
