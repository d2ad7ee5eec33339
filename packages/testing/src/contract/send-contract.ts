import { describe, expect, it } from 'vitest';
import type { ContractContext } from './contract-context.js';
import { command, sendOne, text } from './contract-helpers.js';

/** send: one reply per command, in order; an error reply in its slot; bytes in and out. */
export function sendContract(ctx: ContractContext): void {
  describe('send', () => {
    it('answers each command of a pipeline, in order', async () => {
      const { driver } = ctx.current();
      const k = ctx.key('order');
      const persistent = ctx.key('persistent');
      const missing = ctx.key('missing');
      const replies = await driver.send([
        command(k, 'SET', k, 'v', 'PX', '60000'),
        command(k, 'GET', k),
        command(missing, 'GET', missing),
        command(k, 'PTTL', k),
        command(persistent, 'SET', persistent, 'p'),
        command(persistent, 'PTTL', persistent),
        command(missing, 'PTTL', missing),
        command(k, 'DEL', k),
        command(k, 'DEL', k),
      ]);
      expect(replies).toHaveLength(9);
      const [set, get, nothing, pttl, setPersistent, persistentTtl, missingTtl, deleted, deletedAgain] =
        replies;
      expect([set, text(get), nothing]).toEqual(['OK', 'v', null]);
      expect(pttl).toBeGreaterThan(59_000);
      expect(pttl).toBeLessThanOrEqual(60_000);
      expect([setPersistent, persistentTtl, missingTtl, deleted, deletedAgain]).toEqual(['OK', -1, -2, 1, 0]);
    });

    it('resolves an empty pipeline to no replies', async () => {
      expect(await ctx.current().driver.send([])).toEqual([]);
    });

    it('puts an Error in the slot of each failing command and answers the others', async () => {
      const { driver } = ctx.current();
      const k = ctx.key('errors');
      const replies = await driver.send([
        command(k, 'SET', k, 'v', 'PX', '60000'),
        command(k, 'SET', k, 'x', 'PX', '0'),
        command(k, 'EVALSHA', 'ffffffffffffffffffffffffffffffffffffffff', '1', k),
        command(k, 'NOT-A-COMMAND', k),
        command(k, 'GET', k),
      ]);
      expect(replies[0]).toBe('OK');
      expect(replies[1]).toBeInstanceOf(Error);
      expect(replies[2]).toBeInstanceOf(Error);
      expect((replies[2] as Error).message).toMatch(/^NOSCRIPT/);
      expect(replies[3]).toBeInstanceOf(Error);
      expect(text(replies[4])).toBe('v');
    });

    it('stores bytes verbatim and returns bulk strings as Uint8Array; strings go as UTF-8', async () => {
      const { driver } = ctx.current();
      const binary = ctx.key('binary');
      const utf8 = ctx.key('utf8');
      const bytes = new Uint8Array([0x00, 0xff, 0x3a, 0x80, 0x00]);
      await driver.send([command(binary, 'SET', binary, bytes), command(utf8, 'SET', utf8, 'é€')]);
      const [back, encoded] = await driver.send([command(binary, 'GET', binary), command(utf8, 'GET', utf8)]);
      expect(back).toBeInstanceOf(Uint8Array);
      expect([...(back as Uint8Array)]).toEqual([...bytes]);
      expect([...(encoded as Uint8Array)]).toEqual([0xc3, 0xa9, 0xe2, 0x82, 0xac]);
    });

    it('SET NX GET: null when it set, the old value (unchanged) when it did not; SET NX: OK or null', async () => {
      const { driver } = ctx.current();
      const k = ctx.key('nx-get');
      expect(await sendOne(driver, k, 'SET', k, 'first', 'NX', 'GET', 'PX', '60000')).toBeNull();
      expect(text(await sendOne(driver, k, 'SET', k, 'second', 'NX', 'GET', 'PX', '60000'))).toBe('first');
      expect(text(await sendOne(driver, k, 'GET', k))).toBe('first');
      const pttl = await sendOne(driver, k, 'PTTL', k);
      expect(pttl).toBeGreaterThan(59_000);
      const plain = ctx.key('nx');
      expect(await sendOne(driver, plain, 'SET', plain, 'a', 'NX', 'PX', '60000')).toBe('OK');
      expect(await sendOne(driver, plain, 'SET', plain, 'b', 'NX', 'PX', '60000')).toBeNull();
      expect(text(await sendOne(driver, plain, 'GET', plain))).toBe('a');
    });

    it('PEXPIRE sets the ttl of an existing key (1) and leaves a missing key alone (0)', async () => {
      const { driver } = ctx.current();
      const k = ctx.key('pexpire');
      const missing = ctx.key('pexpire-missing');
      await sendOne(driver, k, 'SET', k, 'v');
      expect(await sendOne(driver, k, 'PEXPIRE', k, '5000')).toBe(1);
      const pttl = await sendOne(driver, k, 'PTTL', k);
      expect(pttl).toBeGreaterThan(4_000);
      expect(pttl).toBeLessThanOrEqual(5_000);
      expect(await sendOne(driver, missing, 'PEXPIRE', missing, '5000')).toBe(0);
      expect(await sendOne(driver, missing, 'PTTL', missing)).toBe(-2);
    });
  });
}
