import { newStringCache, StringCodec } from '@redcache/core';
import { readOrLockScript } from '@redcache/core/wire';
import { describe, expect, it } from 'vitest';
import { useOwnServer } from '../test-support/own-server.js';

// A server that refuses writes but serves reads: `min-replicas-to-write` unmet (NOREPLICAS), as
// after a failed RDB save (MISCONF) or on a read-only replica. A throw-away server of its own,
// so its configuration disturbs no one.

const LOCK = '__redcache:lock:0190a0a0-0000-7000-8000-000000000001:1';

describe('a server that refuses writes', () => {
  const own = useOwnServer(async (admin) => {
    await admin.sendCommand(['CONFIG', 'SET', 'min-replicas-to-write', '0']);
    await admin.sendCommand(['CONFIG', 'SET', 'maxmemory', '0']);
  });

  const refuseWrites = () => own.admin.sendCommand(['CONFIG', 'SET', 'min-replicas-to-write', '1']);
  /** Past maxmemory with noeviction: Redis refuses the writes that may grow memory (OOM), not reads. */
  const outOfMemory = async () => {
    await own.admin.sendCommand(['CONFIG', 'SET', 'maxmemory-policy', 'noeviction']);
    await own.admin.sendCommand(['CONFIG', 'SET', 'maxmemory', '1']);
  };
  const evalReadOrLock = (key: string) =>
    own.admin.sendCommand(['EVAL', readOrLockScript.source, '1', key, '5000', LOCK]);

  it('read-or-lock still answers a key that holds a value (was: GETEX, a write command, refused with NOREPLICAS)', async () => {
    await own.admin.sendCommand(['SET', 'refused:script', '__redcache:v1:0:hello', 'PX', '60000']);
    await refuseWrites();
    const reply = (await own.admin.sendCommand([
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
      own.admin.sendCommand(['EVAL', readOrLockScript.source, '1', 'refused:missing', '5000', LOCK]),
    ).rejects.toThrow(/NOREPLICAS/);
  });

  it('a get of a key stored in Redis returns its value there, without a loader call (was: the read failed with NOREPLICAS)', async () => {
    const cache = newStringCache(await own.connect(), StringCodec);
    await expect(cache.get('refused:warm', 60_000, async () => 'stored')).resolves.toBe('stored');
    await refuseWrites();
    // A new connection: its near cache is empty, so the value is read from Redis.
    const fresh = newStringCache(await own.connect(), StringCodec);
    let loads = 0;
    const value = await fresh.get('refused:warm', 60_000, async () => {
      loads++;
      return 'loaded';
    });
    expect(value).toBe('stored');
    expect(loads).toBe(0);
  });

  it("a get of a stored key is served when its read was merged with a cold get's that Redis refused (the merged script failed as a whole: each key is read again on its own)", async () => {
    const warm = newStringCache(await own.connect(), StringCodec);
    await warm.forceSet('refused:merged:warm', 60_000, 'stored');
    await refuseWrites();
    const fresh = newStringCache(await own.connect(), StringCodec);
    let loads = 0;
    const loader = async () => {
      loads++;
      return 'loaded';
    };
    // Made in one tick, the two reads go in one read-or-lock, the cold key first: its lock
    // write is refused, which fails the script before the stored key is read.
    const [cold, stored] = await Promise.allSettled([
      fresh.get('refused:merged:cold', 60_000, loader),
      fresh.get('refused:merged:warm', 60_000, loader),
    ]);
    expect(cold).toMatchObject({
      status: 'rejected',
      reason: { code: 'E_REDIS', key: 'refused:merged:cold' },
    });
    expect((cold as PromiseRejectedResult).reason.message).toMatch(/NOREPLICAS/);
    expect(stored).toEqual({ status: 'fulfilled', value: 'stored' });
    expect(loads).toBe(0);
    expect(await own.admin.sendCommand(['EXISTS', 'refused:merged:cold'])).toBe(0);
  });

  it('a getMulti and a get whose reads were merged into a script Redis refused each answer as they would have alone', async () => {
    const warm = newStringCache(await own.connect(), StringCodec);
    await warm.forceSet('refused:alone:get', 60_000, 'stored get');
    await warm.forceSet('refused:alone:multi', 60_000, 'stored multi');
    await refuseWrites();
    const fresh = newStringCache(await own.connect(), StringCodec);
    const never = async (): Promise<never> => {
      throw new Error('no loader may run');
    };
    const [multi, single] = await Promise.allSettled([
      fresh.getMulti(['refused:alone:cold', 'refused:alone:multi'], 60_000, never),
      fresh.get('refused:alone:get', 60_000, never),
    ]);
    // Alone, the getMulti's one script fails on its cold key's refused lock, as it did merged.
    expect(multi.status).toBe('rejected');
    expect(String((multi as PromiseRejectedResult).reason)).toMatch(/NOREPLICAS/);
    expect(single).toEqual({ status: 'fulfilled', value: 'stored get' });
    expect(await own.admin.sendCommand(['EXISTS', 'refused:alone:cold'])).toBe(0);
  });

  it('past maxmemory, read-or-lock writes no lock on a missing key and fails with OOM, as SET NX would (was: GETEX, a write, lifted the OOM check from the lock write)', async () => {
    await own.admin.sendCommand(['SET', 'oom:warm', '__redcache:v1:0:hello', 'PX', '60000']);
    await outOfMemory();
    await expect(evalReadOrLock('oom:cold')).rejects.toThrow(/OOM/);
    const warm = (await evalReadOrLock('oom:warm')) as unknown as unknown[];
    expect(warm[0]).toBe('__redcache:v1:0:hello');
    await own.admin.sendCommand(['CONFIG', 'SET', 'maxmemory', '0']);
    expect(await own.admin.sendCommand(['EXISTS', 'oom:cold'])).toBe(0);
  });

  it('past maxmemory, a cold get fails with OOM and runs no loader, leaving no lock in Redis (was: it wrote a lock past maxmemory)', async () => {
    const cache = newStringCache(await own.connect(), StringCodec);
    await outOfMemory();
    let loads = 0;
    await expect(
      cache.get('oom:get', 60_000, async () => {
        loads++;
        return 'loaded';
      }),
    ).rejects.toThrow(/OOM/);
    expect(loads).toBe(0);
    await own.admin.sendCommand(['CONFIG', 'SET', 'maxmemory', '0']);
    expect(await own.admin.sendCommand(['EXISTS', 'oom:get'])).toBe(0);
  });
});
