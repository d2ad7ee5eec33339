import { acquireWriteLockScript, restoreValueScript, touchScript } from '@redcache/core/wire';
import { describe, expect, it } from 'vitest';
import { coreScript } from '../core-scripts.js';
import type { ContractContext } from './contract-context.js';
import { evalScript, LOCK, LOCK_PREFIX, OTHER_LOCK, sendOne, text } from './contract-helpers.js';

/** acquire-write-lock, restore-value, touch, refresh-set: every reply their headers list. */
export function writeScriptsContract(ctx: ContractContext): void {
  const setup = () => {
    const { driver } = ctx.current();
    const set = (key: string, value: string, px?: number) =>
      sendOne(driver, key, 'SET', key, value, ...(px === undefined ? [] : ['PX', String(px)]));
    const get = async (key: string) => text(await sendOne(driver, key, 'GET', key));
    const pttl = (key: string) => sendOne(driver, key, 'PTTL', key);
    return { driver, set, get, pttl };
  };

  describe('script acquire-write-lock', () => {
    it('takes a missing key {1, nil, 0} and a value {1, value, pttl} with our lock PX ttl', async () => {
      const { driver, set, get, pttl } = setup();
      const [missing, value, persistent] = ['missing', 'value', 'persistent'].map(ctx.key);
      const args = [LOCK, '5000', LOCK_PREFIX];
      expect(text(await evalScript(driver, acquireWriteLockScript, [missing!], args))).toEqual([1, null, 0]);
      expect(await get(missing!)).toBe(LOCK);
      expect(await pttl(missing!)).toBeGreaterThan(4_000);
      await set(value!, '__redcache:v1:0:old', 20_000);
      const [took, saved, left] = text(
        await evalScript(driver, acquireWriteLockScript, [value!], args),
      ) as unknown[];
      expect([took, saved]).toEqual([1, '__redcache:v1:0:old']);
      expect(left).toBeGreaterThan(19_000);
      expect(await get(value!)).toBe(LOCK);
      expect(await pttl(value!)).toBeLessThanOrEqual(5_000);
      await set(persistent!, '');
      expect(text(await evalScript(driver, acquireWriteLockScript, [persistent!], args))).toEqual([
        1,
        '',
        -1,
      ]);
    });

    it('never overwrites a lock: {0, lock, 0}', async () => {
      const { driver, set, get } = setup();
      const k = ctx.key('locked');
      await set(k, OTHER_LOCK, 5_000);
      expect(
        text(await evalScript(driver, acquireWriteLockScript, [k], [LOCK, '5000', LOCK_PREFIX])),
      ).toEqual([0, OTHER_LOCK, 0]);
      expect(await get(k)).toBe(OTHER_LOCK);
    });
  });

  describe('script restore-value', () => {
    it('while we hold the lock: restores with PX, without expiry for ttl 0, or deletes: 1', async () => {
      const { driver, set, get, pttl } = setup();
      const [withTtl, persistent, deleted] = ['ttl', 'persistent', 'deleted'].map(ctx.key);
      for (const key of [withTtl!, persistent!, deleted!]) await set(key, LOCK, 5_000);
      expect(await evalScript(driver, restoreValueScript, [withTtl!], [LOCK, '1', 'prior', '3000'])).toBe(1);
      expect(await get(withTtl!)).toBe('prior');
      expect(await pttl(withTtl!)).toBeGreaterThan(2_000);
      expect(await pttl(withTtl!)).toBeLessThanOrEqual(3_000);
      expect(await evalScript(driver, restoreValueScript, [persistent!], [LOCK, '1', '', '0'])).toBe(1);
      expect([await get(persistent!), await pttl(persistent!)]).toEqual(['', -1]);
      expect(await evalScript(driver, restoreValueScript, [deleted!], [LOCK, '0', '', '0'])).toBe(1);
      expect(await pttl(deleted!)).toBe(-2);
    });

    it("leaves someone else's write alone: 0", async () => {
      const { driver, set, get } = setup();
      const k = ctx.key('stolen');
      await set(k, 'forced', 5_000);
      expect(await evalScript(driver, restoreValueScript, [k], [LOCK, '1', 'prior', '3000'])).toBe(0);
      expect(await get(k)).toBe('forced');
    });
  });

  describe('script touch', () => {
    it('sets the ttl of a value, longer or shorter: 1; a missing key or a lock: 0', async () => {
      const { driver, set, pttl } = setup();
      const [value, missing, locked] = ['value', 'missing', 'locked'].map(ctx.key);
      await set(value!, '__redcache:v1:0:v', 1_000);
      expect(await evalScript(driver, touchScript, [value!], ['60000', LOCK_PREFIX])).toBe(1);
      expect(await pttl(value!)).toBeGreaterThan(59_000);
      expect(await evalScript(driver, touchScript, [value!], ['2000', LOCK_PREFIX])).toBe(1);
      expect(await pttl(value!)).toBeLessThanOrEqual(2_000);
      expect(await evalScript(driver, touchScript, [missing!], ['60000', LOCK_PREFIX])).toBe(0);
      expect(await pttl(missing!)).toBe(-2);
      await set(locked!, LOCK, 1_000);
      expect(await evalScript(driver, touchScript, [locked!], ['60000', LOCK_PREFIX])).toBe(0);
      expect(await pttl(locked!)).toBeLessThanOrEqual(1_000);
    });
  });

  const refreshSet = coreScript('refresh-set');
  describe('script refresh-set', () => {
    it('writes over exactly the value it expected: 1; a newer value, a lock, a missing key: 0', async () => {
      const { driver, set, get, pttl } = setup();
      const script = refreshSet!;
      const args = (expected: string) => ['__redcache:v1:5:new', '30000', LOCK_PREFIX, expected];
      const [same, newer, locked, missing] = ['same', 'newer', 'locked', 'missing'].map(ctx.key);
      await set(same!, '__redcache:v1:0:old', 1_000);
      expect(await evalScript(driver, script, [same!], args('__redcache:v1:0:old'))).toBe(1);
      expect(await get(same!)).toBe('__redcache:v1:5:new');
      expect(await pttl(same!)).toBeGreaterThan(29_000);
      await set(newer!, '__redcache:v1:0:newer', 1_000);
      expect(await evalScript(driver, script, [newer!], args('__redcache:v1:0:old'))).toBe(0);
      expect(await get(newer!)).toBe('__redcache:v1:0:newer');
      await set(locked!, LOCK, 1_000);
      expect(await evalScript(driver, script, [locked!], args(LOCK))).toBe(0);
      expect(await get(locked!)).toBe(LOCK);
      expect(await evalScript(driver, script, [missing!], args('__redcache:v1:0:old'))).toBe(0);
      expect(await get(missing!)).toBeNull();
    });
  });
}
