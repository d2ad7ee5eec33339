import { readOrLockScript } from '@redcache/core/wire';
import { describe, expect, it } from 'vitest';
import type { ContractContext } from './contract-context.js';
import { evalScript, LOCK, listen, OTHER_LOCK, roundTrip, sendOne, text } from './contract-helpers.js';

/** read-or-lock: every reply its header lists, what it writes, and the tracking its reads arm. */
export function readOrLockContract(ctx: ContractContext): void {
  describe('script read-or-lock', () => {
    it('locks a missing key (null, -3): the lock value PX lockTTL, as SET NX PX writes it', async () => {
      const { driver } = ctx.current();
      const [k, viaSetNx] = ['missing', 'set-nx'].map(ctx.key);
      expect(text(await evalScript(driver, readOrLockScript, [k!], ['5000', LOCK]))).toEqual([null, -3]);
      await sendOne(driver, viaSetNx!, 'SET', viaSetNx!, LOCK, 'NX', 'PX', '5000');
      expect(text(await sendOne(driver, k!, 'GET', k!))).toBe(LOCK);
      expect(text(await sendOne(driver, viaSetNx!, 'GET', viaSetNx!))).toBe(LOCK);
      const pttl = (await sendOne(driver, k!, 'PTTL', k!)) as number;
      expect(pttl).toBeGreaterThan(0);
      expect(pttl).toBeLessThanOrEqual(5000);
    });

    it('answers a value, a lock and a read-only missing key as read-values does, writing nothing', async () => {
      const { driver } = ctx.current();
      const [value, locked, readOnly, missing] = ['value', 'locked', 'read-only', 'lockable'].map(ctx.key);
      await sendOne(driver, value!, 'SET', value!, '__redcache:v1:0:a');
      await sendOne(driver, locked!, 'SET', locked!, OTHER_LOCK, 'PX', '10000');
      const reply = text(
        await evalScript(
          driver,
          readOrLockScript,
          [value!, locked!, readOnly!, missing!],
          ['5000', LOCK, LOCK, '', LOCK],
        ),
      ) as unknown[];
      expect([reply[0], reply[1], reply[2], reply[4], reply[5], reply[6], reply[7]]).toEqual([
        '__redcache:v1:0:a',
        -1,
        OTHER_LOCK,
        null,
        -2,
        null,
        -3,
      ]);
      expect(reply[3]).toBeGreaterThan(5000);
      expect(text(await sendOne(driver, locked!, 'GET', locked!))).toBe(OTHER_LOCK);
      expect(await sendOne(driver, readOnly!, 'EXISTS', readOnly!)).toBe(0);
    });

    it('arms tracking for what it reads; a key it locks is not tracked, so its own lock write pushes nothing', async () => {
      const { driver, other } = ctx.current();
      const seen = listen(driver);
      const [value, own] = ['tracked', 'own'].map(ctx.key);
      await sendOne(other, value!, 'SET', value!, '__redcache:v1:0:a');
      await evalScript(driver, readOrLockScript, [value!], ['5000', LOCK]);
      await evalScript(driver, readOrLockScript, [own!], ['5000', LOCK]);
      await roundTrip(driver, ctx.probeKey);
      expect(seen).toEqual([]);
      await sendOne(other, own!, 'SET', own!, '__redcache:v1:0:filled');
      await sendOne(other, value!, 'SET', value!, '__redcache:v1:0:b');
      await roundTrip(driver, ctx.probeKey);
      expect(seen).toEqual([value]);
    });
  });
}
