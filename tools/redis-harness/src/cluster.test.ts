import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseReply, type RespValue, redisCommand } from './redis-command.js';
import { type RedisCluster, startRedisCluster } from './start-redis-cluster.js';

function isListening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** One range of `CLUSTER SLOTS`: [start, end, [host, port, id, …], …replicas]. */
type SlotRange = [
  number,
  number,
  [string, number, ...RespValue[]],
  ...Array<[string, number, ...RespValue[]]>,
];

describe('parseReply', () => {
  const parse = (text: string) => parseReply(Buffer.from(text), 0)?.value;

  it('decodes strings, integers, nulls, errors and nested arrays', () => {
    expect(parse('+OK\r\n')).toBe('OK');
    expect(parse(':42\r\n')).toBe(42);
    expect(parse('$-1\r\n')).toBeNull();
    expect(parse('$4\r\nhé!\r\n')).toBe('hé!');
    expect(parse('-ERR bad\r\n')).toEqual(new Error('ERR bad'));
    expect(parse('*2\r\n*1\r\n:1\r\n$1\r\nx\r\n')).toEqual([[1], 'x']);
  });

  it('waits for the rest of a reply split across chunks', () => {
    expect(parseReply(Buffer.from('$5\r\nab'), 0)).toBeUndefined();
    expect(parseReply(Buffer.from('*2\r\n:1\r\n'), 0)).toBeUndefined();
    expect(parseReply(Buffer.from(':1'), 0)).toBeUndefined();
  });
});

describe('startRedisCluster', () => {
  let cluster: RedisCluster;

  beforeAll(async () => {
    cluster = await startRedisCluster();
  }, 30_000);
  afterAll(async () => {
    await cluster?.stop();
  });

  it('refuses fewer than 3 masters', async () => {
    await expect(startRedisCluster({ masters: 2 })).rejects.toThrow(/masters must be ≥ 3/);
  });

  it('forms 3 masters with one replica each, which own all 16384 slots between them', async () => {
    expect(cluster.nodes).toHaveLength(6);
    expect(cluster.rootNodes).toEqual(
      cluster.nodes.map((node) => ({ url: `redis://127.0.0.1:${node.port}` })),
    );
    for (const node of cluster.nodes) {
      expect(isAlive(node.pid)).toBe(true);
      const info = await redisCommand(node.host, node.port, ['CLUSTER', 'INFO']);
      expect(info).toContain('cluster_state:ok');
    }
    const first = cluster.nodes[0]!;
    const ranges = (await redisCommand(first.host, first.port, ['CLUSTER', 'SLOTS'])) as SlotRange[];
    const owned = new Map<number, number>();
    for (const [start, end, master, ...replicas] of ranges) {
      owned.set(master[1], (owned.get(master[1]) ?? 0) + end - start + 1);
      expect(replicas).toHaveLength(1);
    }
    expect(owned.size).toBe(3);
    expect([...owned.values()].reduce((sum, count) => sum + count, 0)).toBe(16_384);
    const ports = cluster.nodes.map((node) => node.port);
    for (const port of owned.keys()) expect(ports).toContain(port);
    // The first three nodes given to redis-cli become the masters.
    expect([...owned.keys()].sort()).toEqual(ports.slice(0, 3).sort());
  });

  it('routes a key to its slot owner: another master answers MOVED', async () => {
    const slot = Number(await redisCommand('127.0.0.1', cluster.nodes[0]!.port, ['CLUSTER', 'KEYSLOT', 'k']));
    const replies = await Promise.all(
      cluster.nodes.slice(0, 3).map((node) => redisCommand(node.host, node.port, ['GET', 'k'])),
    );
    expect(replies.filter((reply) => reply === null)).toHaveLength(1);
    const moved = replies.filter((reply): reply is Error => reply instanceof Error);
    expect(moved).toHaveLength(2);
    for (const error of moved)
      expect(error.message).toMatch(new RegExp(`^MOVED ${slot} 127\\.0\\.0\\.1:\\d+$`));
  });

  it('killNode stops one node and leaves the others serving', async () => {
    const replica = cluster.nodes[5]!;
    await cluster.killNode(replica.port);
    expect(isAlive(replica.pid)).toBe(false);
    expect(await isListening(replica.port)).toBe(false);
    const master = cluster.nodes[0]!;
    expect(await redisCommand(master.host, master.port, ['PING'])).toBe('PONG');
    await expect(cluster.killNode(1)).rejects.toThrow(/no node/);
  });

  it('stop() ends every node, closes every port and removes the directory', async () => {
    expect(existsSync(cluster.directory)).toBe(true);
    await cluster.stop();
    await cluster.stop(); // idempotent
    for (const node of cluster.nodes) {
      expect(isAlive(node.pid)).toBe(false);
      expect(await isListening(node.port)).toBe(false);
    }
    expect(existsSync(cluster.directory)).toBe(false);
  });
});
