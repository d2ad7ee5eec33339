import type { RedisArgument, RedisReply } from '@redcache/core';
import { describe, expect, it } from 'vitest';
import { coreScripts } from '../core-scripts.js';
import type { ContractContext } from './contract-context.js';
import { LOCK, LOCK_PREFIX, sendOne, text } from './contract-helpers.js';

/** What each script gets on a key that holds nothing, and what it answers. */
const ON_EMPTY_KEY: Record<string, { args: RedisArgument[]; reply: unknown }> = {
  'acquire-write-lock': { args: [LOCK, '1000', LOCK_PREFIX], reply: [1, null, 0] },
  'extend-lock': { args: [LOCK, '1000'], reply: 0 },
  'read-or-lock': { args: ['1000', ''], reply: [null, -2] },
  'read-values': { args: [], reply: [null, -2] },
  'refresh-set': { args: ['v', '1000', LOCK_PREFIX, 'old'], reply: 0 },
  'restore-value': { args: [LOCK, '1', 'v', '1000'], reply: 0 },
  'set-if-locked': { args: [LOCK, 'v', '1000'], reply: 0 },
  'set-if-locked-many': { args: [LOCK, 'v', '1000'], reply: [0] },
  touch: { args: ['1000', LOCK_PREFIX], reply: 0 },
  unlock: { args: [LOCK], reply: 0 },
};

/** EVAL by source, then EVALSHA by SHA-1, for each of core's scripts; NOSCRIPT for an unknown SHA-1. */
export function scriptContract(ctx: ContractContext): void {
  describe('scripts: EVAL and EVALSHA', () => {
    it.each(coreScripts.map((script) => [script.name, script] as const))(
      '%s runs by source, and then by its SHA-1',
      async (name, script) => {
        const { driver } = ctx.current();
        const expected = ON_EMPTY_KEY[name];
        expect(expected, `the contract knows no arguments for script ${name}`).toBeDefined();
        const byEval = ctx.key(`eval-${name}`);
        const bySha = ctx.key(`evalsha-${name}`);
        const run = (verb: string, body: string, key: string): Promise<RedisReply | Error> =>
          sendOne(driver, key, verb, body, '1', key, ...expected!.args);
        expect(text(await run('EVAL', script.source, byEval))).toEqual(expected!.reply);
        expect(text(await run('EVALSHA', script.sha1, bySha))).toEqual(expected!.reply);
      },
    );

    it('answers EVALSHA of a script the server never saw with a NOSCRIPT error in its slot', async () => {
      const { driver } = ctx.current();
      const k = ctx.key('noscript');
      const [missing, after] = await driver.send([
        { key: k, args: ['EVALSHA', '0123456789abcdef0123456789abcdef01234567', '1', k] },
        { key: k, args: ['SET', k, 'still answered'] },
      ]);
      expect(missing).toBeInstanceOf(Error);
      expect((missing as Error).message).toMatch(/^NOSCRIPT/);
      expect(after).toBe('OK');
    });
  });
}
