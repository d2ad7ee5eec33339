import { redisCommand } from '@redcache/redis-harness';
import { mastersOf, slotOwners } from './cluster-topology.js';
import { clusterRootNodes, type RedisTarget } from './redis-target.js';

interface Node {
  readonly host: string;
  readonly port: number;
}

/** Every server that holds keys: the one of a URL, or each master of a cluster. */
async function dataNodes(target: RedisTarget): Promise<Node[]> {
  const rootNodes = clusterRootNodes(target);
  const first = new URL(rootNodes === undefined ? target : rootNodes[0]!.url);
  const host = first.hostname;
  if (rootNodes === undefined) return [{ host, port: Number(first.port || 6379) }];
  return mastersOf(await slotOwners(Number(first.port))).map((port) => ({ host, port }));
}

/**
 * What Redis holds under `pattern` (a SCAN `MATCH` glob), on every node of `target`: each
 * string key with its value. It looks at the server itself, not through any cache, so a test
 * sees what another process would find there — a lock left behind, a refresh lock, a value.
 */
export async function scanKeys(target: RedisTarget, pattern: string): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  for (const node of await dataNodes(target)) {
    let cursor = '0';
    do {
      const reply = await redisCommand(node.host, node.port, [
        'SCAN',
        cursor,
        'MATCH',
        pattern,
        'COUNT',
        '1000',
      ]);
      if (!Array.isArray(reply)) throw new Error(`SCAN on ${node.port}: ${String(reply)}`);
      const [next, keys] = reply as [string, string[]];
      for (const key of keys) {
        const value = await redisCommand(node.host, node.port, ['GET', key]);
        if (typeof value === 'string') found.set(key, value);
      }
      cursor = next;
    } while (cursor !== '0');
  }
  return found;
}
