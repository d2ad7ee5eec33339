import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { RedisArgument } from 'redis';
import { createClient, RESP_TYPES } from 'redis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { wrapEnvelope } from '../envelope.js';
import type { Script } from './index.js';
import {
  acquireWriteLockScript,
  defineScript,
  extendLockScript,
  readOrLockScript,
  readValuesScript,
  refreshSetScript,
  restoreValueScript,
  setIfLockedManyScript,
  setIfLockedScript,
  touchScript,
  unlockScript,
} from './index.js';

// Every script runs against a real Redis: REDIS_URL, or 127.0.0.1:6379. Keys live under a prefix of
// their own and are deleted afterwards; the server is shared, so nothing is flushed.

const ALL: readonly Script[] = [
  acquireWriteLockScript,
  extendLockScript,
  readOrLockScript,
  readValuesScript,
  refreshSetScript,
  restoreValueScript,
  setIfLockedManyScript,
  setIfLockedScript,
  touchScript,
  unlockScript,
];
const REDIS_URL = inject('redisUrl');
const PREFIX = `test:scripts:${randomBytes(6).toString('hex')}:`;
const LOCK = '__redcache:lock:0190a0a0-0000-7000-8000-000000000001:1';
const OTHER_LOCK = '__redcache:lock:0190a0a0-0000-7000-8000-000000000002:7';

describe('script descriptors', () => {
  it('has one descriptor per script file, each exported from index', () => {
    const dir = fileURLToPath(new URL('.', import.meta.url));
    const files = readdirSync(dir).filter(
      (f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && f !== 'index.ts' && f !== 'script.ts',
    );
    expect(files.map((f) => f.replace(/\.ts$/, '')).sort()).toEqual(ALL.map((s) => s.name).sort());
  });

  it.each(ALL.map((s) => [s.name, s] as const))('%s: sha1 is the SHA1 of its source', (_name, script) => {
    expect(script.sha1).toMatch(/^[0-9a-f]{40}$/);
    expect(script.sha1).toBe(createHash('sha1').update(script.source, 'utf8').digest('hex'));
  });

  it('has unique names and unique sources', () => {
    expect(new Set(ALL.map((s) => s.name)).size).toBe(ALL.length);
    expect(new Set(ALL.map((s) => s.sha1)).size).toBe(ALL.length);
  });

  it.each(ALL.map((s) => [s.name, s] as const))('%s: its header lists KEYS, ARGV and the reply', (name) => {
    const text = readFileSync(new URL(`./${name}.ts`, import.meta.url), 'utf8');
    const header = text.slice(text.indexOf('/**'), text.indexOf('*/'));
    expect(header).toContain(name);
    expect(header).toMatch(/KEYS/);
    expect(header).toMatch(/ARGV/);
    expect(header).toMatch(/Reply:/);
  });

  it('defineScript hashes what it is given', () => {
    const script = defineScript('noop', 'return 1');
    expect(script).toEqual({
      name: 'noop',
      source: 'return 1',
      sha1: 'e0e1f9fabfc9d4800c877a703b823ac0578ff8db',
    });
  });
});

describe('scripts against a real Redis', () => {
  const client = createClient({ url: REDIS_URL });
  const bytesClient = client.withTypeMapping({ [RESP_TYPES.BLOB_STRING]: Buffer });
  const used = new Set<string>();
  let sequence = 0;

  /** A fresh key under this file's prefix. */
  const key = (label: string): string => {
    const name = `${PREFIX}${label}:${++sequence}`;
    used.add(name);
    return name;
  };

  const run = (script: Script, keys: readonly string[], args: readonly RedisArgument[]): Promise<unknown> =>
    client.eval(script.source, { keys: [...keys], arguments: [...args] });

  beforeAll(async () => {
    client.on('error', () => {
      // surfaced by the commands that fail
    });
    try {
      await client.connect();
    } catch (error) {
      throw new Error(
        `scripts.test.ts needs a Redis at ${REDIS_URL} (set REDIS_URL, or run redis-server on 127.0.0.1:6379): ${String(error)}`,
      );
    }
  });

  afterAll(async () => {
    if (client.isOpen) {
      if (used.size > 0) await client.del([...used]);
      const left = await client.keys(`${PREFIX}*`);
      if (left.length > 0) await client.del(left);
      await client.close();
    }
  });

  it.each(ALL.map((s) => [s.name, s] as const))(
    '%s: SCRIPT LOAD gives our sha1, and EVALSHA runs it',
    async (_n, script) => {
      expect(await client.scriptLoad(script.source)).toBe(script.sha1);
      const k = key('evalsha');
      const args: Record<string, RedisArgument[]> = {
        'acquire-write-lock': [LOCK, '1000', '__redcache:lock:'],
        'restore-value': [LOCK, '1', 'v', '1000'],
        touch: ['1000', '__redcache:lock:'],
        'refresh-set': ['v', '1000', '__redcache:lock:', 'old'],
        'extend-lock': [LOCK, '1000'],
        'read-values': [],
        'read-or-lock': ['1000', ''],
        'set-if-locked': [LOCK, 'v', '1000'],
        'set-if-locked-many': [LOCK, 'v', '1000'],
        unlock: [LOCK],
      };
      const reply = await client.evalSha(script.sha1, { keys: [k], arguments: args[script.name] ?? [] });
      const expected: Record<string, unknown> = {
        'read-values': [null, -2],
        'read-or-lock': [null, -2],
        'acquire-write-lock': [1, null, 0],
        'set-if-locked-many': [0],
      };
      expect(reply).toEqual(script.name in expected ? expected[script.name] : 0);
    },
  );

  describe('unlock', () => {
    it('deletes our own lock and replies integer 1', async () => {
      const k = key('unlock-ours');
      await client.set(k, LOCK, { expiration: { type: 'PX', value: 10_000 } });
      expect(await run(unlockScript, [k], [LOCK])).toBe(1);
      expect(await client.exists(k)).toBe(0);
    });

    it("leaves another process's lock alone and replies 0", async () => {
      const k = key('unlock-other');
      await client.set(k, OTHER_LOCK, { expiration: { type: 'PX', value: 10_000 } });
      expect(await run(unlockScript, [k], [LOCK])).toBe(0);
      expect(await client.get(k)).toBe(OTHER_LOCK);
    });

    it('leaves a value that replaced our lock alone and replies 0', async () => {
      const k = key('unlock-value');
      const value = Buffer.from(wrapEnvelope('v', 5));
      await client.set(k, value);
      expect(await run(unlockScript, [k], [LOCK])).toBe(0);
      expect(await bytesClient.get(k)).toEqual(value);
    });

    it('replies 0 for a missing key', async () => {
      const k = key('unlock-missing');
      expect(await run(unlockScript, [k], [LOCK])).toBe(0);
      expect(await client.exists(k)).toBe(0);
    });

    it('compares the whole value: a lock that only shares our prefix is not ours', async () => {
      const k = key('unlock-prefix');
      await client.set(k, `${LOCK}0`);
      expect(await run(unlockScript, [k], [LOCK])).toBe(0);
      expect(await client.get(k)).toBe(`${LOCK}0`);
    });
  });

  describe('set-if-locked', () => {
    it('replaces our lock with the value, PX ttl, and replies integer 1', async () => {
      const k = key('sil-ours');
      await client.set(k, LOCK, { expiration: { type: 'PX', value: 10_000 } });
      const value = '__redcache:v1:1500000:{"id":1}';
      expect(await run(setIfLockedScript, [k], [LOCK, value, '60000'])).toBe(1);
      expect(await client.get(k)).toBe(value);
      const pttl = await client.pTTL(k);
      expect(pttl).toBeGreaterThan(10_000);
      expect(pttl).toBeLessThanOrEqual(60_000);
    });

    it('writes binary envelope bytes exactly', async () => {
      const k = key('sil-binary');
      await client.set(k, LOCK);
      const value = Buffer.from(wrapEnvelope(new Uint8Array([0x00, 0xff, 0x3a, 0x80]), 0));
      expect(await run(setIfLockedScript, [k], [LOCK, value, '5000'])).toBe(1);
      expect(await bytesClient.get(k)).toEqual(value);
    });

    it('replies 0 and writes nothing when another lock holds the key', async () => {
      const k = key('sil-other');
      await client.set(k, OTHER_LOCK, { expiration: { type: 'PX', value: 10_000 } });
      expect(await run(setIfLockedScript, [k], [LOCK, '__redcache:v1:0:x', '60000'])).toBe(0);
      expect(await client.get(k)).toBe(OTHER_LOCK);
      expect(await client.pTTL(k)).toBeLessThanOrEqual(10_000);
    });

    it('replies 0 and writes nothing when a value replaced our lock', async () => {
      const k = key('sil-value');
      await client.set(k, '__redcache:v1:0:theirs');
      expect(await run(setIfLockedScript, [k], [LOCK, '__redcache:v1:0:ours', '60000'])).toBe(0);
      expect(await client.get(k)).toBe('__redcache:v1:0:theirs');
      expect(await client.pTTL(k)).toBe(-1);
    });

    it('replies 0 and does not create a missing key (lock expired)', async () => {
      const k = key('sil-missing');
      expect(await run(setIfLockedScript, [k], [LOCK, '__redcache:v1:0:x', '60000'])).toBe(0);
      expect(await client.exists(k)).toBe(0);
    });
  });

  describe('set-if-locked-many', () => {
    it('per key in order: replaces each of our locks with its value and PX ttl (1), leaves every other key as it was (0)', async () => {
      const [ours1, other, theirs, missing, ours2] = ['ours1', 'other', 'theirs', 'missing', 'ours2'].map(
        (n) => key(`silm-${n}`),
      );
      await client.set(ours1!, LOCK, { expiration: { type: 'PX', value: 10_000 } });
      await client.set(other!, OTHER_LOCK, { expiration: { type: 'PX', value: 10_000 } });
      await client.set(theirs!, '__redcache:v1:0:theirs');
      await client.set(ours2!, `${LOCK}2`);
      const bytes = Buffer.from(wrapEnvelope(new Uint8Array([0x00, 0xff, 0x3a, 0x80]), 0));
      const reply = await run(
        setIfLockedManyScript,
        [ours1!, other!, theirs!, missing!, ours2!],
        [
          ...[LOCK, '__redcache:v1:1500000:{"id":1}', '60000'],
          ...[LOCK, '__redcache:v1:0:x', '60000'],
          ...[LOCK, '__redcache:v1:0:ours', '60000'],
          ...[LOCK, '__redcache:v1:0:x', '60000'],
          ...[`${LOCK}2`, bytes, '5000'],
        ],
      );
      expect(reply).toEqual([1, 0, 0, 0, 1]);
      expect(await client.get(ours1!)).toBe('__redcache:v1:1500000:{"id":1}');
      const pttl = await client.pTTL(ours1!);
      expect(pttl).toBeGreaterThan(10_000);
      expect(pttl).toBeLessThanOrEqual(60_000);
      expect(await bytesClient.get(ours2!)).toEqual(bytes);
      expect(await client.pTTL(ours2!)).toBeLessThanOrEqual(5_000);
      expect(await client.get(other!)).toBe(OTHER_LOCK);
      expect(await client.pTTL(other!)).toBeLessThanOrEqual(10_000);
      expect(await client.get(theirs!)).toBe('__redcache:v1:0:theirs');
      expect(await client.pTTL(theirs!)).toBe(-1);
      expect(await client.exists(missing!)).toBe(0);
    });

    it('writes what set-if-locked writes, byte for byte and with the same ttl', async () => {
      const [single, many] = [key('silm-same-1'), key('silm-same-2')];
      await client.set(single, LOCK);
      await client.set(many, LOCK);
      const value = Buffer.from(wrapEnvelope(new Uint8Array([0x7b, 0x7d]), 250));
      expect(await run(setIfLockedScript, [single], [LOCK, value, '30000'])).toBe(1);
      expect(await run(setIfLockedManyScript, [many], [LOCK, value, '30000'])).toEqual([1]);
      expect(await bytesClient.get(many)).toEqual(await bytesClient.get(single));
      expect(Math.abs((await client.pTTL(many)) - (await client.pTTL(single)))).toBeLessThan(1_000);
    });
  });

  describe('extend-lock', () => {
    it('sets the PTTL of our lock and replies integer 1', async () => {
      const k = key('extend-ours');
      await client.set(k, LOCK, { expiration: { type: 'PX', value: 1_000 } });
      expect(await run(extendLockScript, [k], [LOCK, '60000'])).toBe(1);
      const pttl = await client.pTTL(k);
      expect(pttl).toBeGreaterThan(1_000);
      expect(pttl).toBeLessThanOrEqual(60_000);
      expect(await client.get(k)).toBe(LOCK);
    });

    it('can also shorten it (PEXPIRE sets, it does not add)', async () => {
      const k = key('extend-shorter');
      await client.set(k, LOCK, { expiration: { type: 'PX', value: 60_000 } });
      expect(await run(extendLockScript, [k], [LOCK, '2000'])).toBe(1);
      expect(await client.pTTL(k)).toBeLessThanOrEqual(2_000);
    });

    it("replies 0 and leaves another lock's ttl alone", async () => {
      const k = key('extend-other');
      await client.set(k, OTHER_LOCK, { expiration: { type: 'PX', value: 1_000 } });
      expect(await run(extendLockScript, [k], [LOCK, '60000'])).toBe(0);
      expect(await client.pTTL(k)).toBeLessThanOrEqual(1_000);
      expect(await client.get(k)).toBe(OTHER_LOCK);
    });

    it('replies 0 for a missing key and does not create it', async () => {
      const k = key('extend-missing');
      expect(await run(extendLockScript, [k], [LOCK, '60000'])).toBe(0);
      expect(await client.exists(k)).toBe(0);
    });
  });

  describe('read-values', () => {
    it('replies [value|null, pttl] per key, in order: PX value, persistent value, missing key, lock', async () => {
      const withTtl = key('rv-ttl');
      const persistent = key('rv-persistent');
      const missing = key('rv-missing');
      const locked = key('rv-lock');
      await client.set(withTtl, '__redcache:v1:3:a', { expiration: { type: 'PX', value: 5_000 } });
      await client.set(persistent, '__redcache:v1:0:b');
      await client.set(locked, LOCK, { expiration: { type: 'PX', value: 10_000 } });

      const reply = await run(readValuesScript, [withTtl, persistent, missing, locked], []);
      expect(Array.isArray(reply)).toBe(true);
      const values = reply as unknown[];
      expect(values).toHaveLength(8);
      expect(values[0]).toBe('__redcache:v1:3:a');
      expect(values[1]).toBeGreaterThan(0);
      expect(values[1]).toBeLessThanOrEqual(5_000);
      expect(values[2]).toBe('__redcache:v1:0:b');
      expect(values[3]).toBe(-1);
      expect(values[4]).toBeNull();
      expect(values[5]).toBe(-2);
      expect(values[6]).toBe(LOCK);
      expect(values[7]).toBeGreaterThan(5_000);
      expect(values[7]).toBeLessThanOrEqual(10_000);
    });

    it('keeps the pairs aligned when missing keys come first and last', async () => {
      const a = key('rv-a');
      const b = key('rv-b');
      const c = key('rv-c');
      await client.set(b, 'middle');
      expect(await run(readValuesScript, [a, b, c], [])).toEqual([null, -2, 'middle', -1, null, -2]);
    });

    it('replies an empty array for no keys', async () => {
      expect(await run(readValuesScript, [], [])).toEqual([]);
    });

    it('returns binary values byte for byte', async () => {
      const k = key('rv-binary');
      const value = Buffer.from(wrapEnvelope(new Uint8Array([0x00, 0xff, 0x00, 0x3a]), 9));
      await client.set(k, value);
      const reply = await bytesClient.eval(readValuesScript.source, { keys: [k], arguments: [] });
      expect(reply).toEqual([value, -1]);
    });
  });

  describe('acquire-write-lock', () => {
    const PREFIX_ARG = '__redcache:lock:';
    it('takes a missing key: {1, nil, 0}, the lock with PX', async () => {
      const k = key('awl-missing');
      expect(await run(acquireWriteLockScript, [k], [LOCK, '5000', PREFIX_ARG])).toEqual([1, null, 0]);
      expect(await client.get(k)).toBe(LOCK);
      const pttl = await client.pTTL(k);
      expect(pttl).toBeGreaterThan(4000);
      expect(pttl).toBeLessThanOrEqual(5000);
    });

    it('takes a value and returns it with its PTTL (-1 when persistent)', async () => {
      const k = key('awl-value');
      await client.set(k, '__redcache:v1:0:old', { PX: 20_000 });
      const [ok, saved, pttl] = (await run(acquireWriteLockScript, [k], [LOCK, '5000', PREFIX_ARG])) as [
        number,
        string,
        number,
      ];
      expect([ok, saved]).toEqual([1, '__redcache:v1:0:old']);
      expect(pttl).toBeGreaterThan(19_000);
      expect(await client.get(k)).toBe(LOCK);
      const p = key('awl-persistent');
      await client.set(p, '');
      expect(await run(acquireWriteLockScript, [p], [LOCK, '5000', PREFIX_ARG])).toEqual([1, '', -1]);
    });

    it('never overwrites a lock: {0, <lock>, 0}', async () => {
      const k = key('awl-locked');
      await client.set(k, OTHER_LOCK, { PX: 5000 });
      expect(await run(acquireWriteLockScript, [k], [LOCK, '5000', PREFIX_ARG])).toEqual([0, OTHER_LOCK, 0]);
      expect(await client.get(k)).toBe(OTHER_LOCK);
    });
  });

  describe('restore-value', () => {
    it('puts the value back with the given PX while we hold the lock', async () => {
      const k = key('rv-restore');
      await client.set(k, LOCK, { PX: 5000 });
      expect(await run(restoreValueScript, [k], [LOCK, '1', 'prior', '3000'])).toBe(1);
      expect(await client.get(k)).toBe('prior');
      expect(await client.pTTL(k)).toBeGreaterThan(2000);
    });

    it('restores without expiry for ttl 0, and an empty value', async () => {
      const k = key('rv-persistent');
      await client.set(k, LOCK, { PX: 5000 });
      expect(await run(restoreValueScript, [k], [LOCK, '1', '', '0'])).toBe(1);
      expect(await client.get(k)).toBe('');
      expect(await client.pTTL(k)).toBe(-1);
    });

    it('deletes the key when there was no value', async () => {
      const k = key('rv-delete');
      await client.set(k, LOCK, { PX: 5000 });
      expect(await run(restoreValueScript, [k], [LOCK, '0', '', '0'])).toBe(1);
      expect(await client.exists(k)).toBe(0);
    });

    it("leaves someone else's write alone: 0", async () => {
      const k = key('rv-stolen');
      await client.set(k, 'forced', { PX: 5000 });
      expect(await run(restoreValueScript, [k], [LOCK, '1', 'prior', '3000'])).toBe(0);
      expect(await client.get(k)).toBe('forced');
    });
  });

  describe('refresh-set', () => {
    const args = (expected: string) => ['__redcache:v1:5:new', '30000', '__redcache:lock:', expected];
    it('writes over exactly the value it expected: 1, with PX', async () => {
      const k = key('rs-same');
      await client.set(k, '__redcache:v1:0:old', { PX: 1000 });
      expect(await run(refreshSetScript, [k], args('__redcache:v1:0:old'))).toBe(1);
      expect(await client.get(k)).toBe('__redcache:v1:5:new');
      expect(await client.pTTL(k)).toBeGreaterThan(29_000);
    });

    it('skips a newer value, a lock, and a missing key: 0', async () => {
      const newer = key('rs-newer');
      await client.set(newer, '__redcache:v1:0:newer', { PX: 1000 });
      expect(await run(refreshSetScript, [newer], args('__redcache:v1:0:old'))).toBe(0);
      expect(await client.get(newer)).toBe('__redcache:v1:0:newer');
      const locked = key('rs-lock');
      await client.set(locked, LOCK, { PX: 1000 });
      expect(await run(refreshSetScript, [locked], args(LOCK))).toBe(0);
      expect(await client.get(locked)).toBe(LOCK);
      const missing = key('rs-missing');
      expect(await run(refreshSetScript, [missing], args('__redcache:v1:0:old'))).toBe(0);
      expect(await client.exists(missing)).toBe(0);
    });
  });

  describe('touch', () => {
    it('sets the ttl of a value: 1 (shorter or longer)', async () => {
      const k = key('touch-value');
      await client.set(k, '__redcache:v1:0:v', { PX: 1000 });
      expect(await run(touchScript, [k], ['60000', '__redcache:lock:'])).toBe(1);
      expect(await client.pTTL(k)).toBeGreaterThan(59_000);
      expect(await run(touchScript, [k], ['2000', '__redcache:lock:'])).toBe(1);
      expect(await client.pTTL(k)).toBeLessThanOrEqual(2000);
    });

    it('does nothing to a missing key or a lock: 0', async () => {
      const missing = key('touch-missing');
      expect(await run(touchScript, [missing], ['60000', '__redcache:lock:'])).toBe(0);
      expect(await client.exists(missing)).toBe(0);
      const locked = key('touch-lock');
      await client.set(locked, LOCK, { PX: 1000 });
      expect(await run(touchScript, [locked], ['60000', '__redcache:lock:'])).toBe(0);
      expect(await client.pTTL(locked)).toBeLessThanOrEqual(1000);
    });
  });

  describe('client tracking (RESP2 redirect to a subscriber)', () => {
    // The headers say read-values registers tracking for the caller, and that set-if-locked's trailing
    // PTTL re-arms it after the script's own SET consumed it. Observe that with CLIENT TRACKING ON
    // REDIRECT <subscriber> and the `__redis__:invalidate` channel.
    const subscriber = createClient({ url: REDIS_URL, RESP: 2 });
    const tracked = createClient({ url: REDIS_URL });
    const invalidated: string[] = [];

    const waitForInvalidations = async (k: string, count: number): Promise<number> => {
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
      const subscriberId = await subscriber.clientId();
      await subscriber.subscribe('__redis__:invalidate', (message: unknown) => {
        if (Array.isArray(message)) for (const name of message) invalidated.push(String(name));
      });
      await tracked.clientTracking(true, { REDIRECT: subscriberId });
    });

    afterAll(async () => {
      if (tracked.isOpen) await tracked.close();
      if (subscriber.isOpen) await subscriber.close();
    });

    it('read-values registers tracking: a later write by another client invalidates the key', async () => {
      const k = key('track-read');
      await client.set(k, 'before');
      await tracked.eval(readValuesScript.source, { keys: [k], arguments: [] });
      await client.set(k, 'after');
      expect(await waitForInvalidations(k, 1)).toBeGreaterThanOrEqual(1);
    });

    it('set-if-locked keeps the caller tracking the key after its own write', async () => {
      const k = key('track-sil');
      await client.set(k, LOCK, { expiration: { type: 'PX', value: 10_000 } });
      expect(
        await tracked.eval(setIfLockedScript.source, { keys: [k], arguments: [LOCK, 'v', '60000'] }),
      ).toBe(1);
      // The script's own SET invalidates the key once (GET tracked it)…
      expect(await waitForInvalidations(k, 1)).toBeGreaterThanOrEqual(1);
      // …and a later write by someone else must reach the caller again, thanks to the trailing PTTL.
      await client.set(k, 'changed elsewhere');
      expect(await waitForInvalidations(k, 2)).toBe(2);
    });
  });
});
