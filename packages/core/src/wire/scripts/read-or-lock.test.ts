import { randomBytes } from 'node:crypto';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { readOrLockScript } from './index.js';

// read-or-lock against a real Redis: REDIS_URL, or 127.0.0.1:6379. Its keys live under a prefix
// of their own and are deleted afterwards; the server is shared, so nothing is flushed.

const REDIS_URL = inject('redisUrl');
const PREFIX = `test:read-or-lock:${randomBytes(6).toString('hex')}:`;
const LOCK = '__redcache:lock:0190a0a0-0000-7000-8000-000000000001:1';
const OTHER_LOCK = '__redcache:lock:0190a0a0-0000-7000-8000-000000000002:7';

describe('read-or-lock against a real Redis', () => {
  const client = createClient({ url: REDIS_URL });
  let sequence = 0;
  const key = (label: string): string => `${PREFIX}${label}:${++sequence}`;
  const run = (keys: string[], args: string[]): Promise<unknown> =>
    client.eval(readOrLockScript.source, { keys, arguments: args });

  beforeAll(async () => {
    client.on('error', () => {});
    await client.connect();
  });

  afterAll(async () => {
    const left = await client.keys(`${PREFIX}*`);
    if (left.length > 0) await client.del(left);
    await client.close();
  });

  it('locks a missing key: [null, -3], and the key holds the lock PX lockTTL, as SET NX PX writes it', async () => {
    const k = key('missing');
    const twin = key('set-nx');
    expect(await run([k], ['5000', LOCK])).toEqual([null, -3]);
    await client.sendCommand(['SET', twin, LOCK, 'NX', 'PX', '5000']);
    expect(await client.get(k)).toBe(LOCK);
    expect(await client.get(k)).toBe(await client.get(twin));
    const pttl = await client.pTTL(k);
    expect(pttl).toBeGreaterThan(4000);
    expect(pttl).toBeLessThanOrEqual(5000);
    expect(await client.sendCommand(['OBJECT', 'ENCODING', k])).toBe(
      await client.sendCommand(['OBJECT', 'ENCODING', twin]),
    );
  });

  it('returns a value and its PTTL and writes nothing', async () => {
    const withTtl = key('value');
    const persistent = key('persistent');
    await client.set(withTtl, '__redcache:v1:0:hello', { PX: 60_000 });
    await client.set(persistent, '__redcache:v1:0:forever');
    const reply = (await run([withTtl, persistent], ['5000', LOCK, OTHER_LOCK])) as unknown[];
    expect(reply[0]).toBe('__redcache:v1:0:hello');
    expect(reply[1]).toBeGreaterThan(59_000);
    expect(reply.slice(2)).toEqual(['__redcache:v1:0:forever', -1]);
    expect(await client.get(withTtl)).toBe('__redcache:v1:0:hello');
    expect(await client.pTTL(persistent)).toBe(-1);
  });

  it("returns another process's lock and its PTTL and writes nothing", async () => {
    const k = key('locked');
    await client.set(k, OTHER_LOCK, { PX: 3000 });
    const reply = (await run([k], ['5000', LOCK])) as unknown[];
    expect(reply[0]).toBe(OTHER_LOCK);
    expect(reply[1]).toBeLessThanOrEqual(3000);
    expect(await client.get(k)).toBe(OTHER_LOCK);
    expect(await client.pTTL(k)).toBeLessThanOrEqual(3000);
  });

  it("only reads a key whose lock value is '': [null, -2], nothing written", async () => {
    const k = key('read-only');
    expect(await run([k], ['5000', ''])).toEqual([null, -2]);
    expect(await client.exists(k)).toBe(0);
  });

  it('keeps the pairs aligned over mixed keys, each missing key locked with its own value', async () => {
    const a = key('a');
    const b = key('b');
    const c = key('c');
    await client.set(b, '__redcache:v1:0:middle');
    expect(await run([a, b, c], ['5000', LOCK, 'unused', OTHER_LOCK])).toEqual([
      null,
      -3,
      '__redcache:v1:0:middle',
      -1,
      null,
      -3,
    ]);
    expect([await client.get(a), await client.get(c)]).toEqual([LOCK, OTHER_LOCK]);
  });

  describe('client tracking (RESP2 redirect to a subscriber)', () => {
    const subscriber = createClient({ url: REDIS_URL, RESP: 2 });
    const tracked = createClient({ url: REDIS_URL });
    const invalidated: string[] = [];
    const invalidations = async (k: string, count: number): Promise<number> => {
      const deadline = Date.now() + 3_000;
      let seen = 0;
      while (Date.now() < deadline) {
        seen = invalidated.filter((name) => name === k).length;
        if (seen >= count) return seen;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      return seen;
    };

    beforeAll(async () => {
      subscriber.on('error', () => {});
      tracked.on('error', () => {});
      await subscriber.connect();
      await tracked.connect();
      const id = await subscriber.clientId();
      await subscriber.subscribe('__redis__:invalidate', (message: unknown) => {
        if (Array.isArray(message)) for (const name of message) invalidated.push(String(name));
      });
      await tracked.clientTracking(true, { REDIRECT: id });
    });

    afterAll(async () => {
      await tracked.close();
      await subscriber.close();
    });

    it('reading a value arms tracking: a write by another client invalidates the key', async () => {
      const k = key('track-value');
      await client.set(k, '__redcache:v1:0:before');
      await tracked.eval(readOrLockScript.source, { keys: [k], arguments: ['5000', LOCK] });
      expect(invalidated).not.toContain(k);
      await client.set(k, '__redcache:v1:0:after');
      expect(await invalidations(k, 1)).toBe(1);
    });

    it("reading another's lock arms tracking: its holder's write reaches the reader", async () => {
      const k = key('track-lock');
      await client.set(k, OTHER_LOCK, { PX: 10_000 });
      await tracked.eval(readOrLockScript.source, { keys: [k], arguments: ['5000', LOCK] });
      await client.set(k, '__redcache:v1:0:loaded');
      expect(await invalidations(k, 1)).toBe(1);
    });

    it('locking a missing key arms no tracking: its own lock write pushes nothing to the caller (one push less per cold miss)', async () => {
      const k = key('track-own');
      const control = key('track-control');
      await client.set(control, '__redcache:v1:0:a');
      await tracked.eval(readOrLockScript.source, { keys: [k], arguments: ['5000', LOCK] });
      // Its own script: on Redis 7.0 a read in a script tracks every key the script declares.
      await tracked.eval(readOrLockScript.source, { keys: [control], arguments: ['5000', LOCK] });
      // A later write by another client does not reach the caller either; the control key's does:
      // once its push is in, any push for the locked key would be too (one connection, in order).
      await client.set(k, '__redcache:v1:0:loaded');
      await client.set(control, '__redcache:v1:0:b');
      expect(await invalidations(control, 1)).toBe(1);
      expect(invalidated).not.toContain(k);
    });

    it("only reading a missing key (lock value '') arms tracking for it", async () => {
      const k = key('track-read-only');
      await tracked.eval(readOrLockScript.source, { keys: [k], arguments: ['5000', ''] });
      await client.set(k, '__redcache:v1:0:later');
      expect(await invalidations(k, 1)).toBe(1);
    });
  });
});
