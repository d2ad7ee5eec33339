import { redisCommand, startRedisCluster, startRedisServer } from '@redcache/redis-harness';
import { clusterTarget, isClusterTarget, type RedisTarget } from './redis-target.js';

/** A server (or cluster) of a test file's own, which it may flush or break. */
export interface OwnTarget {
  readonly target: RedisTarget;
  /** FLUSHALL on every master. */
  flushAll(): Promise<void>;
  stop(): Promise<void>;
}

/** Starts a throwaway server of the same kind as `like`: one `redis-server`, or a 3+3 cluster. */
export async function startOwnTarget(like: RedisTarget): Promise<OwnTarget> {
  if (!isClusterTarget(like)) {
    const server = await startRedisServer();
    return {
      target: server.url,
      flushAll: () => flush([server.port]),
      stop: () => server.stop(),
    };
  }
  const cluster = await startRedisCluster();
  const masters = cluster.nodes.slice(0, 3).map((node) => node.port);
  return {
    target: clusterTarget(cluster.rootNodes),
    flushAll: () => flush(masters),
    stop: () => cluster.stop(),
  };
}

async function flush(ports: readonly number[]): Promise<void> {
  for (const port of ports) {
    const reply = await redisCommand('127.0.0.1', port, ['FLUSHALL']);
    if (reply instanceof Error) throw reply;
  }
}
