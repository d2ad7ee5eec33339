import { type Conn, newStringCache, StringCodec } from '@redcache/core';
import { readOrLockScript } from '@redcache/core/wire';
import { type RedisServer, startRedisServer } from '@redcache/redis-harness';
import type { RedisClientType } from '@redis/client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../connect.js';
import { plainClient } from '../test-support/redis.js';

// A server that refuses writes but serves reads: `min-replicas-to-write` unmet (NOREPLICAS), as
// after a failed RDB save (MISCONF) or on a read-only replica. A throw-away server of its own,
// so its configuration disturbs no one.

const LOCK = '__redcache:lock:0190a0a0-0000-7000-8000-000000000001:1';

describe('a server that refuses writes', () => {
  let server: RedisServer;
  let admin: RedisClientType;
  let conn: Conn | undefined;

  beforeAll(async () => {
    server = await startRedisServer();
    admin = await plainClient(server.url);
  });
  afterEach(async () => {
    await admin.sendCommand(['CONFIG', 'SET', 'min-replicas-to-write', '0']);
    await admin.sendCommand(['CONFIG', 'SET', 'maxmemory', '0']);
    await conn?.close();
    conn = undefined;
  });
  afterAll(async () => {
    await admin?.close();
    await server?.stop();
  });

  const refuseWrites = () => admin.sendCommand(['CONFIG', 'SET', 'min-replicas-to-write', '1']);
  /** Past maxmemory with noeviction: Redis refuses the writes that may grow memory (OOM), not reads. */
  const outOfMemory = async () => {
    await admin.sendCommand(['CONFIG', 'SET', 'maxmemory-policy', 'noeviction']);
    await admin.sendCommand(['CONFIG', 'SET', 'maxmemory', '1']);
  };
  const evalReadOrLock = (key: string) =>
    admin.sendCommand(['EVAL', readOrLockScript.source, '1', key, '5000', LOCK]);

  it('read-or-lock still answers a key that holds a value (was: GETEX, a write command, refused with NOREPLICAS)', async () => {
    await admin.sendCommand(['SET', 'refused:script', '__redcache:v1:0:hello', 'PX', '60000']);
    await refuseWrites();
    const reply = (await admin.sendCommand([
      'EVAL',
      readOrLockScript.source,
      '1',
      'refused:script',
      '5000',
      LOCK,
    ])) as unknown[];
    expect(reply[0]).toBe('__redcache:v1:0:hello');
    expect(reply[1]).toBeGreaterThan(50_000);
    // A missing key cannot be locked there: the script fails, as SET NX would.
    await expect(
      admin.sendCommand(['EVAL', readOrLockScript.source, '1', 'refused:missing', '5000', LOCK]),
    ).rejects.toThrow(/NOREPLICAS/);
  });

  it('a get of a key stored in Redis returns its value there, without a loader call (was: the read failed with NOREPLICAS)', async () => {
    conn = await connect({ url: server.url });
    const cache = newStringCache(conn, StringCodec);
    await expect(cache.get('refused:warm', 60_000, async () => 'stored')).resolves.toBe('stored');
    await conn.close();
    await refuseWrites();
    // A new connection: its near cache is empty, so the value is read from Redis.
    conn = await connect({ url: server.url });
    const fresh = newStringCache(conn, StringCodec);
    let loads = 0;
    const value = await fresh.get('refused:warm', 60_000, async () => {
      loads++;
      return 'loaded';
    });
    expect(value).toBe('stored');
    expect(loads).toBe(0);
  });

  it('past maxmemory, read-or-lock writes no lock on a missing key and fails with OOM, as SET NX would (was: GETEX, a write, lifted the OOM check from the lock write)', async () => {
    await admin.sendCommand(['SET', 'oom:warm', '__redcache:v1:0:hello', 'PX', '60000']);
    await outOfMemory();
    await expect(evalReadOrLock('oom:cold')).rejects.toThrow(/OOM/);
    const warm = (await evalReadOrLock('oom:warm')) as unknown as unknown[];
    expect(warm[0]).toBe('__redcache:v1:0:hello');
    await admin.sendCommand(['CONFIG', 'SET', 'maxmemory', '0']);
    expect(await admin.sendCommand(['EXISTS', 'oom:cold'])).toBe(0);
  });

  it('past maxmemory, a cold get fails with OOM and runs no loader, leaving no lock in Redis (was: it wrote a lock past maxmemory)', async () => {
    conn = await connect({ url: server.url });
    const cache = newStringCache(conn, StringCodec);
    await outOfMemory();
    let loads = 0;
    await expect(
      cache.get('oom:get', 60_000, async () => {
        loads++;
        return 'loaded';
      }),
    ).rejects.toThrow(/OOM/);
    expect(loads).toBe(0);
    await admin.sendCommand(['CONFIG', 'SET', 'maxmemory', '0']);
    expect(await admin.sendCommand(['EXISTS', 'oom:get'])).toBe(0);
  });
});
