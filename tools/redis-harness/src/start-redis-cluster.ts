import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findOnPath } from './find-on-path.js';
import { freePort } from './free-port.js';
import { type RespValue, redisCommand } from './redis-command.js';
import { type RedisServer, startRedisServer } from './start-redis-server.js';

/** One `redis-server` of a throwaway cluster. */
export interface RedisClusterNode {
  readonly host: string;
  readonly port: number;
  readonly pid: number;
  readonly url: string;
}

/** A throwaway Redis Cluster of local `redis-server` processes. */
export interface RedisCluster {
  /** Every node, masters first (in the order `redis-cli --cluster create` was given them). */
  readonly nodes: readonly RedisClusterNode[];
  /** Where the nodes keep their `nodes-<port>.conf`; removed by `stop()`. */
  readonly directory: string;
  /** For node-redis: `createCluster({ rootNodes })`. Every node, so discovery survives a dead one. */
  readonly rootNodes: ReadonlyArray<{ readonly url: string }>;
  /** Stops every node and removes the cluster's directory. Idempotent. */
  stop(): Promise<void>;
  /** Stops the node on `port` (SIGTERM): the rest of the cluster sees it fail after the node timeout. */
  killNode(port: number): Promise<void>;
}

export interface RedisClusterOptions {
  /** At least 3 (redis-cli refuses fewer). Default 3. */
  readonly masters?: number;
  /** Default 1. */
  readonly replicasPerMaster?: number;
}

const HOST = '127.0.0.1';
const SLOTS = 16_384;
const NODE_TIMEOUT_MS = 2_000;
const CREATE_TIMEOUT_MS = 30_000;
const READY_TIMEOUT_MS = 15_000;

/**
 * Starts a Redis Cluster of `masters × (1 + replicasPerMaster)` throwaway `redis-server`
 * processes on free ports (no persistence, config files in a temporary directory), joins them
 * with `redis-cli --cluster create`, and resolves once every node reports `cluster_state:ok`,
 * all 16384 slots served and every other node known.
 */
export async function startRedisCluster({
  masters = 3,
  replicasPerMaster = 1,
}: RedisClusterOptions = {}): Promise<RedisCluster> {
  if (!Number.isInteger(masters) || masters < 3) throw new Error('startRedisCluster: masters must be ≥ 3');
  if (!Number.isInteger(replicasPerMaster) || replicasPerMaster < 0) {
    throw new Error('startRedisCluster: replicasPerMaster must be ≥ 0');
  }
  const cli = findOnPath('redis-cli');
  if (cli === undefined) {
    throw new Error('redis-cli is not on PATH: install it (apt-get install redis-tools, brew install redis)');
  }
  const directory = await mkdtemp(join(tmpdir(), 'redcache-cluster-'));
  const servers: RedisServer[] = [];
  const stop = once(async () => {
    await Promise.all(servers.map((server) => server.stop()));
    await rm(directory, { recursive: true, force: true });
  });
  try {
    const count = masters * (1 + replicasPerMaster);
    const started = await Promise.allSettled(
      Array.from({ length: count }, () => startRedisServer((port) => nodeArgs(directory, port))),
    );
    for (const result of started) if (result.status === 'fulfilled') servers.push(result.value);
    const failed = started.find((result) => result.status === 'rejected');
    if (failed !== undefined) throw (failed as PromiseRejectedResult).reason;

    const addresses = servers.map((server) => `${HOST}:${server.port}`);
    await run(cli, [
      '--cluster',
      'create',
      ...addresses,
      '--cluster-replicas',
      String(replicasPerMaster),
      '--cluster-yes',
    ]);
    await waitUntilReady(
      servers.map((server) => server.port),
      count,
      replicasPerMaster,
    );
  } catch (error) {
    await stop();
    throw error;
  }
  const nodes = servers.map((server) => ({
    host: HOST,
    port: server.port,
    pid: server.pid,
    url: server.url,
  }));
  return {
    directory,
    nodes,
    rootNodes: nodes.map((node) => ({ url: node.url })),
    stop,
    killNode: async (port) => {
      const server = servers.find((candidate) => candidate.port === port);
      if (server === undefined) throw new Error(`killNode: no node of this cluster listens on ${port}`);
      await server.stop();
    },
  };
}

async function nodeArgs(directory: string, port: number): Promise<string[]> {
  // The bus port defaults to port + 10000, which may be taken or past 65535: pick a free one.
  const busPort = await freePort();
  return [
    '--cluster-enabled',
    'yes',
    '--cluster-config-file',
    join(directory, `nodes-${port}.conf`),
    '--cluster-node-timeout',
    String(NODE_TIMEOUT_MS),
    '--cluster-port',
    String(busPort),
    '--dir',
    directory,
    // A replica's first sync would otherwise wait 5 s for more replicas to join it.
    '--repl-diskless-sync-delay',
    '0',
    // CLUSTER SLOTS leaves out a replica until its replication offset moves, which on an
    // idle master takes the first replication PING: 10 s by default.
    '--repl-ping-replica-period',
    '1',
  ];
}

function run(executable: string, args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(executable, args, { timeout: CREATE_TIMEOUT_MS }, (error, stdout, stderr) => {
      if (error === null) resolve(stdout);
      else
        reject(
          new Error(`redis-cli ${args.slice(0, 2).join(' ')} failed: ${error.message}\n${stdout}${stderr}`),
        );
    });
  });
}

/**
 * Waits until every node says the cluster is ok, serves all slots, knows all `count` nodes,
 * and lists every slot range with its replicas (a replica's role reaches the others by gossip,
 * after the cluster already reports ok; clients discover the topology from `CLUSTER SLOTS`).
 */
async function waitUntilReady(ports: readonly number[], count: number, replicas: number): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    const problems = (await Promise.all(ports.map((port) => nodeProblem(port, count, replicas)))).filter(
      (problem) => problem !== undefined,
    );
    if (problems.length === 0) return;
    if (Date.now() > deadline) {
      throw new Error(`cluster not ready in ${READY_TIMEOUT_MS} ms: ${problems.join('; ')}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** What keeps the node on `port` from being ready, or undefined when it is. */
async function nodeProblem(port: number, count: number, replicas: number): Promise<string | undefined> {
  try {
    const info = parseInfo(await redisCommand(HOST, port, ['CLUSTER', 'INFO']));
    if (info.get('cluster_state') !== 'ok') return `${port}: cluster_state ${info.get('cluster_state')}`;
    if (info.get('cluster_slots_ok') !== String(SLOTS))
      return `${port}: slots ok ${info.get('cluster_slots_ok')}`;
    if (info.get('cluster_known_nodes') !== String(count)) {
      return `${port}: knows ${info.get('cluster_known_nodes')} nodes`;
    }
    const ranges = await redisCommand(HOST, port, ['CLUSTER', 'SLOTS']);
    if (!Array.isArray(ranges)) return `${port}: CLUSTER SLOTS ${String(ranges)}`;
    // Each range is [start, end, master, ...replicas].
    if (ranges.some((range) => !Array.isArray(range) || range.length !== 3 + replicas)) {
      return `${port}: replicas not all known yet`;
    }
    return undefined;
  } catch (error) {
    return `${port}: ${(error as Error).message}`;
  }
}

function parseInfo(reply: RespValue): Map<string, string> {
  const fields = new Map<string, string>();
  if (typeof reply !== 'string') return fields;
  for (const line of reply.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) fields.set(line.slice(0, colon), line.slice(colon + 1));
  }
  return fields;
}

function once(action: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | undefined;
  return () => {
    running ??= action();
    return running;
  };
}
