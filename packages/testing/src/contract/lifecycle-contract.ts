import { describe, expect, it } from 'vitest';
import type { ContractContext } from './contract-context.js';
import { listen, roundTrip, sendOne, sleep, text, waitFor } from './contract-helpers.js';

/** Flushes and lost connections (null), slots, close. */
export function lifecycleContract(ctx: ContractContext): void {
  describe('null invalidations, slots and close', () => {
    it('a lost connection gives null; afterwards reads work and arm tracking again', async () => {
      const setup = ctx.current();
      const { driver, other } = setup;
      const seen = listen(driver);
      const k = ctx.key('lost');
      await sendOne(other, k, 'SET', k, 'before', 'PX', '60000');
      await sendOne(driver, k, 'GET', k);
      await setup.loseConnection();
      await waitFor(() => seen.includes(null), 'null after a lost connection');
      expect(seen.every((key) => key === null)).toBe(true);
      expect(text(await sendOne(driver, k, 'GET', k))).toBe('before');
      seen.length = 0;
      await sendOne(other, k, 'SET', k, 'after', 'PX', '60000');
      await roundTrip(driver, ctx.probeKey);
      expect(seen.filter((key) => key !== null)).toEqual([k]);
    });

    it('a flush (FLUSHALL) gives null', async ({ skip }) => {
      const setup = ctx.current();
      if (setup.flushAll === undefined) return skip('no flushAll: the server is shared');
      const seen = listen(setup.driver);
      const k = ctx.key('flushed');
      await sendOne(setup.driver, k, 'GET', k);
      await setup.flushAll();
      await waitFor(() => seen.includes(null), 'null after FLUSHALL');
    });

    it('slotOf gives an integer in 0..16383, the same for keys that share a hash tag', () => {
      const { driver } = ctx.current();
      for (const key of ['', 'a', 'user:42', '{tag}x', '{tag}y', 'é']) {
        const slot = driver.slotOf(key);
        expect(Number.isInteger(slot)).toBe(true);
        expect(slot).toBeGreaterThanOrEqual(0);
        expect(slot).toBeLessThanOrEqual(16_383);
      }
      expect(driver.slotOf('{tag}x')).toBe(driver.slotOf('{tag}y'));
    });

    it('close is idempotent; later sends reject; no invalidation is reported after it', async () => {
      const { driver, other } = ctx.current();
      const seen = listen(driver);
      const k = ctx.key('closed');
      await sendOne(driver, k, 'GET', k);
      await Promise.all([driver.close(), driver.close()]);
      await driver.close();
      await expect(driver.send([{ key: k, args: ['GET', k] }])).rejects.toBeInstanceOf(Error);
      await sendOne(other, k, 'SET', k, 'after close', 'PX', '60000');
      await sleep(50);
      expect(seen).toEqual([]);
    });
  });
}
