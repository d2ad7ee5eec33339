import { randomUUID } from 'node:crypto';
import type { Driver, DriverNode, RedisReply } from '@redcache/core';
import { describe, expect, it, type TestContext } from 'vitest';
import type { ContractContext } from './contract-context.js';
import { listen, roundTrip, sendOne, text } from './contract-helpers.js';

/** The driver's nodes, or the test is skipped (`Driver.nodes` is optional). */
function nodesOf(driver: Driver, test: TestContext): Promise<readonly DriverNode[]> {
  // Skipped, not failed: `Driver.nodes` is optional (a driver without it cannot clear, and its
  // views' clear says so), so the suite checks it only on drivers that have it.
  if (driver.nodes === undefined) test.skip('the driver has no nodes()');
  return Promise.resolve(driver.nodes!());
}

/** Every key `SCAN … MATCH pattern` finds on `node`, stepping until the cursor is 0 again. */
async function scanAll(node: DriverNode, pattern: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [reply] = await node.send([['SCAN', cursor, 'MATCH', pattern, 'COUNT', '100']]);
    if (reply instanceof Error) throw reply;
    const [next, batch] = text(reply) as [string, string[]];
    cursor = next;
    keys.push(...batch);
  } while (cursor !== '0');
  return keys;
}

/** `count` keys under `prefix`, each with its own hash tag: spread over every slot and node. */
function spread(prefix: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => `${prefix}{${i}}`);
}

/** Writes (or deletes) each key with its own send, so each is routed to its slot. */
async function each(driver: Driver, keys: readonly string[], ...args: string[]): Promise<void> {
  await Promise.all(
    keys.map(async (key) => {
      const reply = await sendOne(driver, key, args[0]!, key, ...args.slice(1));
      if (reply instanceof Error) throw reply;
    }),
  );
}

/**
 * `nodes()`, what `Cache.clear` relies on: the nodes together hold every key (each key on one
 * of them), a node answers `SCAN … MATCH` with the keys it holds, and a pipeline sent to a
 * node is answered in order, an error reply in its slot. And `UNLINK`, sent by key, reaches
 * every connection that read the key, as any write does.
 */
export function nodesContract(ctx: ContractContext): void {
  describe('nodes', () => {
    it('lists at least one node, each with its address', async (test) => {
      const nodes = await nodesOf(ctx.current().driver, test);
      expect(nodes.length).toBeGreaterThan(0);
      for (const node of nodes) expect(typeof node.address).toBe('string');
    });

    it('SCAN MATCH over every node finds each key under a prefix once, and none outside it', async (test) => {
      const { driver } = ctx.current();
      const nodes = await nodesOf(driver, test);
      const run = `redcache-contract-scan:${randomUUID()}`;
      const inside = spread(`${run}:`, 60);
      const outside = [...spread(`${run}2:`, 20), `${run}`];
      try {
        await each(driver, [...inside, ...outside], 'SET', 'v', 'PX', '60000');
        const found = (await Promise.all(nodes.map((node) => scanAll(node, `${run}:*`)))).flat();
        expect(new Set(found)).toEqual(new Set(inside));
        expect(found).toHaveLength(inside.length);
      } finally {
        await each(driver, [...inside, ...outside], 'DEL');
      }
    });

    it("answers a node's pipeline in order, with an error reply in its slot", async (test) => {
      const nodes = await nodesOf(ctx.current().driver, test);
      const none = `redcache-contract-none:${randomUUID()}:*`;
      const replies: Array<RedisReply | Error> = await nodes[0]!.send([
        ['SCAN', '0', 'MATCH', none, 'COUNT', '10'],
        ['NOT-A-COMMAND'],
        ['SCAN', 'not-a-cursor'],
      ]);
      expect(replies).toHaveLength(3);
      expect(Array.isArray(replies[0])).toBe(true);
      expect((text(replies[0]) as unknown[])[1]).toEqual([]);
      expect(replies[1]).toBeInstanceOf(Error);
      expect(replies[2]).toBeInstanceOf(Error);
    });

    it('UNLINK by key removes keys and fires onInvalidate on a connection that read them', async () => {
      const { driver, other } = ctx.current();
      const seen = listen(other);
      const [a, b] = [ctx.key('unlink-a'), ctx.key('unlink-b')];
      await driver.send([
        { key: a, args: ['SET', a, 'x', 'PX', '60000'] },
        { key: b, args: ['SET', b, 'y', 'PX', '60000'] },
      ]);
      await other.send([
        { key: a, args: ['GET', a] },
        { key: b, args: ['GET', b] },
      ]);
      expect(await sendOne(driver, a, 'UNLINK', a, b)).toBe(2);
      await roundTrip(other, ctx.probeKey);
      expect(new Set(seen)).toEqual(new Set([a, b]));
      expect(await sendOne(driver, a, 'EXISTS', a, b)).toBe(0);
    });
  });
}
