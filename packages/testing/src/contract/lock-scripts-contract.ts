import {
  extendLockScript,
  readValuesScript,
  setIfLockedManyScript,
  setIfLockedScript,
  unlockScript,
} from '@redcache/core/wire';
import { describe, expect, it } from 'vitest';
import type { ContractContext } from './contract-context.js';
import { evalScript, LOCK, OTHER_LOCK, sendOne, text } from './contract-helpers.js';

/** unlock, set-if-locked, set-if-locked-many, extend-lock, read-values: every reply their headers list. */
export function lockScriptsContract(ctx: ContractContext): void {
  const setup = () => {
    const { driver } = ctx.current();
    const set = (key: string, value: string | Uint8Array, px?: number) =>
      sendOne(driver, key, 'SET', key, value, ...(px === undefined ? [] : ['PX', String(px)]));
    const get = async (key: string) => text(await sendOne(driver, key, 'GET', key));
    const pttl = (key: string) => sendOne(driver, key, 'PTTL', key);
    return { driver, set, get, pttl };
  };

  describe('script unlock', () => {
    it('deletes our lock: 1; leaves another lock, a value, a longer lock and a missing key: 0', async () => {
      const { driver, set, get } = setup();
      const [ours, other, value, longer, missing] = ['ours', 'other', 'value', 'longer', 'missing'].map(
        ctx.key,
      );
      await set(ours!, LOCK, 10_000);
      await set(other!, OTHER_LOCK, 10_000);
      await set(value!, '__redcache:v1:5:v');
      await set(longer!, `${LOCK}0`);
      expect(await evalScript(driver, unlockScript, [ours!], [LOCK])).toBe(1);
      expect(await get(ours!)).toBeNull();
      for (const key of [other!, value!, longer!, missing!]) {
        expect(await evalScript(driver, unlockScript, [key], [LOCK])).toBe(0);
      }
      expect([await get(other!), await get(value!), await get(longer!), await get(missing!)]).toEqual([
        OTHER_LOCK,
        '__redcache:v1:5:v',
        `${LOCK}0`,
        null,
      ]);
    });
  });

  describe('script set-if-locked', () => {
    it('replaces our lock with the value, PX ttl: 1 (binary values byte for byte)', async () => {
      const { driver, set, get, pttl } = setup();
      const k = ctx.key('sil');
      await set(k, LOCK, 10_000);
      expect(
        await evalScript(driver, setIfLockedScript, [k], [LOCK, '__redcache:v1:15:{"id":1}', '60000']),
      ).toBe(1);
      expect(await get(k)).toBe('__redcache:v1:15:{"id":1}');
      expect(await pttl(k)).toBeGreaterThan(10_000);
      const binary = ctx.key('sil-binary');
      const bytes = new Uint8Array([0x5f, 0x00, 0xff, 0x3a, 0x80]);
      await set(binary, LOCK);
      expect(await evalScript(driver, setIfLockedScript, [binary], [LOCK, bytes, '5000'])).toBe(1);
      expect([...((await sendOne(driver, binary, 'GET', binary)) as Uint8Array)]).toEqual([...bytes]);
    });

    it('writes nothing over another lock or a value, and creates no missing key: 0', async () => {
      const { driver, set, get, pttl } = setup();
      const [other, value, missing] = ['other', 'value', 'missing'].map(ctx.key);
      await set(other!, OTHER_LOCK, 10_000);
      await set(value!, '__redcache:v1:0:theirs');
      for (const key of [other!, value!, missing!]) {
        expect(
          await evalScript(driver, setIfLockedScript, [key], [LOCK, '__redcache:v1:0:ours', '60000']),
        ).toBe(0);
      }
      expect([await get(other!), await get(value!), await get(missing!)]).toEqual([
        OTHER_LOCK,
        '__redcache:v1:0:theirs',
        null,
      ]);
      expect(await pttl(other!)).toBeLessThanOrEqual(10_000);
      expect(await pttl(value!)).toBe(-1);
    });
  });

  describe('script set-if-locked-many', () => {
    it('writes each key holding our lock with its own value and PX ttl, and nothing else: [1, 0, …] in key order', async () => {
      const { driver, set, get, pttl } = setup();
      const [first, other, value, second, missing] = ['first', 'other', 'value', 'second', 'missing'].map(
        ctx.key,
      );
      await set(first!, LOCK, 10_000);
      await set(other!, OTHER_LOCK, 10_000);
      await set(value!, '__redcache:v1:0:theirs');
      await set(second!, LOCK, 10_000);
      // One (lock, value, ttl) triple per key; second gets a shorter ttl than first.
      const writes: Array<[string, string]> = [
        ['__redcache:v1:1:first', '60000'],
        ['__redcache:v1:1:other', '60000'],
        ['__redcache:v1:1:value', '60000'],
        ['__redcache:v1:2:second', '30000'],
        ['__redcache:v1:1:missing', '60000'],
      ];
      const reply = await evalScript(
        driver,
        setIfLockedManyScript,
        [first!, other!, value!, second!, missing!],
        writes.flatMap(([envelope, ttl]) => [LOCK, envelope, ttl]),
      );
      expect(reply).toEqual([1, 0, 0, 1, 0]);
      expect([
        await get(first!),
        await get(other!),
        await get(value!),
        await get(second!),
        await get(missing!),
      ]).toEqual([
        '__redcache:v1:1:first',
        OTHER_LOCK,
        '__redcache:v1:0:theirs',
        '__redcache:v1:2:second',
        null,
      ]);
      const [firstTtl, otherTtl, valueTtl, secondTtl] = [
        await pttl(first!),
        await pttl(other!),
        await pttl(value!),
        await pttl(second!),
      ] as number[];
      expect(firstTtl).toBeGreaterThan(30_000);
      expect(firstTtl).toBeLessThanOrEqual(60_000);
      expect(secondTtl).toBeGreaterThan(10_000);
      expect(secondTtl).toBeLessThanOrEqual(30_000);
      expect(otherTtl).toBeLessThanOrEqual(10_000);
      expect(valueTtl).toBe(-1);
    });

    it('writes binary values byte for byte, each to its own key', async () => {
      const { driver, set } = setup();
      const [a, b] = ['many-binary-a', 'many-binary-b'].map(ctx.key);
      const bytesA = new Uint8Array([0x5f, 0x00, 0xff, 0x3a, 0x80]);
      const bytesB = new Uint8Array([0x00, 0x80, 0x00, 0xfe]);
      await set(a!, LOCK);
      await set(b!, LOCK);
      expect(
        await evalScript(
          driver,
          setIfLockedManyScript,
          [a!, b!],
          [LOCK, bytesA, '5000', LOCK, bytesB, '5000'],
        ),
      ).toEqual([1, 1]);
      expect([...((await sendOne(driver, a!, 'GET', a!)) as Uint8Array)]).toEqual([...bytesA]);
      expect([...((await sendOne(driver, b!, 'GET', b!)) as Uint8Array)]).toEqual([...bytesB]);
    });
  });

  describe('script extend-lock', () => {
    it('sets the PTTL of our lock, longer or shorter: 1', async () => {
      const { driver, set, get, pttl } = setup();
      const k = ctx.key('extend');
      await set(k, LOCK, 1_000);
      expect(await evalScript(driver, extendLockScript, [k], [LOCK, '60000'])).toBe(1);
      expect(await pttl(k)).toBeGreaterThan(1_000);
      expect(await evalScript(driver, extendLockScript, [k], [LOCK, '2000'])).toBe(1);
      expect(await pttl(k)).toBeLessThanOrEqual(2_000);
      expect(await get(k)).toBe(LOCK);
    });

    it("leaves another lock's ttl alone and creates no missing key: 0", async () => {
      const { driver, set, get, pttl } = setup();
      const [other, missing] = ['other', 'missing'].map(ctx.key);
      await set(other!, OTHER_LOCK, 1_000);
      expect(await evalScript(driver, extendLockScript, [other!], [LOCK, '60000'])).toBe(0);
      expect(await pttl(other!)).toBeLessThanOrEqual(1_000);
      expect(await evalScript(driver, extendLockScript, [missing!], [LOCK, '60000'])).toBe(0);
      expect(await get(missing!)).toBeNull();
    });
  });

  describe('script read-values', () => {
    it('answers [value | null, pttl] per key, in order', async () => {
      const { driver, set } = setup();
      const [withTtl, persistent, missing, locked] = ['ttl', 'persistent', 'missing', 'lock'].map(ctx.key);
      await set(withTtl!, '__redcache:v1:3:a', 5_000);
      await set(persistent!, '__redcache:v1:0:b');
      await set(locked!, LOCK, 10_000);
      const reply = await evalScript(
        driver,
        readValuesScript,
        [withTtl!, persistent!, missing!, locked!],
        [],
      );
      const values = text(reply) as unknown[];
      expect(values).toHaveLength(8);
      expect([values[0], values[2], values[3], values[4], values[5], values[6]]).toEqual([
        '__redcache:v1:3:a',
        '__redcache:v1:0:b',
        -1,
        null,
        -2,
        LOCK,
      ]);
      expect(values[1]).toBeGreaterThan(0);
      expect(values[1]).toBeLessThanOrEqual(5_000);
      expect(values[7]).toBeGreaterThan(5_000);
    });

    it('keeps pairs aligned around missing keys, answers [] for no keys, and returns bytes verbatim', async () => {
      const { driver, set } = setup();
      const [a, b, c] = ['a', 'b', 'c'].map(ctx.key);
      const bytes = new Uint8Array([0x00, 0xff, 0x00, 0x3a]);
      await set(b!, bytes);
      const reply = (await evalScript(driver, readValuesScript, [a!, b!, c!], [])) as unknown[];
      expect([reply[0], reply[1], reply[3], reply[4], reply[5]]).toEqual([null, -2, -1, null, -2]);
      expect([...(reply[2] as Uint8Array)]).toEqual([...bytes]);
      expect(await evalScript(driver, readValuesScript, [], [])).toEqual([]);
    });
  });
}
