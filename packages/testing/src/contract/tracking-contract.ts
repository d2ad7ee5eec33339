import { readValuesScript, setIfLockedManyScript, setIfLockedScript } from '@redcache/core/wire';
import { describe, expect, it } from 'vitest';
import type { ContractContext } from './contract-context.js';
import { evalScript, LOCK, listen, OTHER_LOCK, roundTrip, sendOne, waitFor } from './contract-helpers.js';

/**
 * Client tracking as the engine relies on it: reads arm it, any change (by anyone, the
 * reader included) fires it once, a change that writes nothing does not, and the pushes a
 * command causes are delivered before its reply resolves.
 */
export function trackingContract(ctx: ContractContext): void {
  describe('tracking and invalidation', () => {
    it('a GET arms tracking: a write by another connection fires onInvalidate(key)', async () => {
      const { driver, other } = ctx.current();
      const seen = listen(driver);
      const k = ctx.key('get');
      await sendOne(driver, k, 'GET', k);
      await sendOne(other, k, 'SET', k, 'changed', 'PX', '60000');
      await roundTrip(driver, ctx.probeKey);
      expect(seen).toEqual([k]);
    });

    it('PTTL and reads inside a script arm tracking too', async () => {
      const { driver, other } = ctx.current();
      const seen = listen(driver);
      const [byPttl, byScript] = ['pttl', 'script'].map(ctx.key);
      await sendOne(driver, byPttl!, 'PTTL', byPttl!);
      await evalScript(driver, readValuesScript, [byScript!], []);
      await other.send([
        { key: byPttl!, args: ['SET', byPttl!, 'x', 'PX', '60000'] },
        { key: byScript!, args: ['SET', byScript!, 'x', 'PX', '60000'] },
      ]);
      await roundTrip(driver, ctx.probeKey);
      expect(seen).toEqual([byPttl, byScript]);
    });

    it('keys the connection never read are not reported', async () => {
      const { driver, other } = ctx.current();
      const seen = listen(driver);
      const k = ctx.key('unread');
      await sendOne(other, k, 'SET', k, 'x', 'PX', '60000');
      await roundTrip(driver, ctx.probeKey);
      expect(seen).toEqual([]);
    });

    it("the connection's own write fires it too, before the write's reply resolves", async () => {
      const { driver } = ctx.current();
      const seen = listen(driver);
      const k = ctx.key('own');
      await sendOne(driver, k, 'GET', k);
      expect(await sendOne(driver, k, 'SET', k, 'mine', 'PX', '60000')).toBe('OK');
      expect(seen).toEqual([k]);
    });

    it("a script's own write fires it before the reply; set-if-locked's trailing read re-arms it", async () => {
      const { driver, other } = ctx.current();
      const seen = listen(driver);
      const k = ctx.key('cas');
      await sendOne(other, k, 'SET', k, LOCK, 'PX', '10000');
      expect(await evalScript(driver, setIfLockedScript, [k], [LOCK, '__redcache:v1:0:v', '60000'])).toBe(1);
      expect(seen).toEqual([k]);
      await sendOne(other, k, 'SET', k, 'changed elsewhere', 'PX', '60000');
      await roundTrip(driver, ctx.probeKey);
      expect(seen).toEqual([k, k]);
    });

    it('set-if-locked-many fires once per written key (none for a key it skips) before the reply, and re-arms each', async () => {
      const { driver, other } = ctx.current();
      const seen = listen(driver);
      const [first, theirs, second] = ['cas-many-first', 'cas-many-theirs', 'cas-many-second'].map(ctx.key);
      await other.send([
        { key: first!, args: ['SET', first!, LOCK, 'PX', '10000'] },
        { key: theirs!, args: ['SET', theirs!, OTHER_LOCK, 'PX', '10000'] },
        { key: second!, args: ['SET', second!, LOCK, 'PX', '10000'] },
      ]);
      const envelope = ['__redcache:v1:0:v', '60000'];
      expect(
        await evalScript(
          driver,
          setIfLockedManyScript,
          [first!, theirs!, second!],
          [LOCK, ...envelope, LOCK, ...envelope, LOCK, ...envelope],
        ),
      ).toEqual([1, 0, 1]);
      expect(seen).toEqual([first, second]);
      await other.send([
        { key: first!, args: ['SET', first!, 'changed elsewhere', 'PX', '60000'] },
        { key: second!, args: ['SET', second!, 'changed elsewhere', 'PX', '60000'] },
      ]);
      await roundTrip(driver, ctx.probeKey);
      expect(seen).toEqual([first, second, first, second]);
    });

    it('is one-shot: a second change is not reported until the key is read again', async () => {
      const { driver, other } = ctx.current();
      const seen = listen(driver);
      const k = ctx.key('once');
      await sendOne(driver, k, 'GET', k);
      await sendOne(other, k, 'SET', k, '1', 'PX', '60000');
      await sendOne(other, k, 'SET', k, '2', 'PX', '60000');
      await roundTrip(driver, ctx.probeKey);
      expect(seen).toEqual([k]);
      await sendOne(driver, k, 'GET', k);
      await sendOne(other, k, 'SET', k, '3', 'PX', '60000');
      await roundTrip(driver, ctx.probeKey);
      expect(seen).toEqual([k, k]);
    });

    it('a command that changes nothing (SET NX on a value, DEL of a missing key) fires nothing', async () => {
      const { driver, other } = ctx.current();
      const seen = listen(driver);
      const [present, missing] = ['present', 'missing'].map(ctx.key);
      await sendOne(other, present!, 'SET', present!, 'v', 'PX', '60000');
      await driver.send([
        { key: present!, args: ['GET', present!] },
        { key: missing!, args: ['GET', missing!] },
      ]);
      expect(await sendOne(other, present!, 'SET', present!, 'w', 'NX', 'PX', '60000')).toBeNull();
      expect(await sendOne(other, missing!, 'DEL', missing!)).toBe(0);
      await roundTrip(driver, ctx.probeKey);
      expect(seen).toEqual([]);
    });

    it('DEL, PEXPIRE and expiry each fire it', async () => {
      const { driver, other } = ctx.current();
      const seen = listen(driver);
      const [deleted, touched, expiring] = ['del', 'pexpire', 'expiry'].map(ctx.key);
      await other.send([
        { key: deleted!, args: ['SET', deleted!, 'v', 'PX', '60000'] },
        { key: touched!, args: ['SET', touched!, 'v', 'PX', '60000'] },
        { key: expiring!, args: ['SET', expiring!, 'v', 'PX', '50'] },
      ]);
      await driver.send([deleted!, touched!, expiring!].map((key) => ({ key, args: ['GET', key] })));
      await sendOne(other, deleted!, 'DEL', deleted!);
      await sendOne(other, touched!, 'PEXPIRE', touched!, '120000');
      await waitFor(() => seen.length >= 3, 'three invalidations');
      expect([...seen].sort()).toEqual([deleted, touched, expiring].sort());
    });

    it('unsubscribing stops that listener only; the same function subscribed twice is called twice', async () => {
      const { driver, other } = ctx.current();
      const calls: Array<string | null> = [];
      const listener = (key: string | null) => calls.push(key);
      const first = driver.onInvalidate(listener);
      driver.onInvalidate(listener);
      const k = ctx.key('unsubscribe');
      await sendOne(driver, k, 'GET', k);
      await sendOne(other, k, 'SET', k, '1', 'PX', '60000');
      await roundTrip(driver, ctx.probeKey);
      expect(calls).toEqual([k, k]);
      first();
      first();
      await sendOne(driver, k, 'GET', k);
      await sendOne(other, k, 'SET', k, '2', 'PX', '60000');
      await roundTrip(driver, ctx.probeKey);
      expect(calls).toEqual([k, k, k]);
    });
  });
}
