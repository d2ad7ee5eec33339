import { sleep } from '@redcache/fleet';
import { redisCommand } from '@redcache/redis-harness';
import { serverOf, serverSideId } from './pair-connections.js';
import type { TrackingClient } from './tracking-client.js';

/** One connection of a driver, as these helpers see it, whatever the client. */
interface NodeConnection {
  readonly host: string;
  readonly port: number;
  /** Its id on its server (rejects while it has none). */
  id(): Promise<string>;
  /** True while the client takes it for connected. */
  ready(): boolean;
}

/**
 * The connection(s) of a tracking client: a node-redis client's one connection, or its
 * connection to every master; an ioredis driver's data and subscriber connections (of every
 * master, on a cluster).
 */
async function connections(tracking: TrackingClient): Promise<NodeConnection[]> {
  if (tracking.kind === 'ioredis') {
    return tracking.pairs().flatMap(({ data, subscriber }) =>
      [data, subscriber].map((connection) => ({
        ...serverOf(connection),
        id: () => serverSideId(connection),
        ready: () => connection.status === 'ready',
      })),
    );
  }
  const nodeRedis = (
    host: string,
    port: number,
    client: { clientId(): Promise<number>; isReady: boolean },
  ) => ({
    host,
    port,
    id: async () => String(await client.clientId()),
    ready: () => client.isReady,
  });
  if (tracking.kind === 'standalone') {
    const url = new URL(tracking.client.options?.url ?? 'redis://127.0.0.1:6379');
    return [nodeRedis(url.hostname, Number(url.port || 6379), tracking.client)];
  }
  const cluster = tracking.client;
  return Promise.all(
    cluster.masters.map(async (master) =>
      nodeRedis(master.host, master.port, await cluster.nodeClient(master)),
    ),
  );
}

/**
 * Kills every connection of `tracking` server-side (`CLIENT KILL ID`, sent from a connection
 * of its own), as a network fault or a proxy would: what the server tracked for it is gone.
 * For an ioredis driver, that is both connections of its pair (of each master's pair, on a
 * cluster). Resolves once it is killed,
 * with what it killed; see `untilReconnected`.
 */
export async function killConnections(tracking: TrackingClient): Promise<KilledConnection[]> {
  const targets = await Promise.all(
    (await connections(tracking)).map(async ({ host, port, id }) => ({ host, port, id: await id() })),
  );
  // All at once, as one fault: killed one after the other, the flush from the first kill
  // would wake waiters whose next read could then be cut by a later kill mid-flight.
  const replies = await Promise.all(
    targets.map(({ host, port, id }) => redisCommand(host, port, ['CLIENT', 'KILL', 'ID', id])),
  );
  for (const reply of replies) if (reply instanceof Error) throw reply;
  return targets;
}

/** A connection `killConnections` killed: its server, and its id there (ids are per server). */
export interface KilledConnection {
  readonly host: string;
  readonly port: number;
  readonly id: string;
}

/**
 * Resolves once every connection of `tracking` is ready again on a new connection: none of
 * `killed` (what `killConnections` returned) is still in use. A client that has not yet seen
 * its connection die still says it is ready; its id on its server tells. Fails after `timeoutMs`.
 */
export async function untilReconnected(
  tracking: TrackingClient,
  killed: readonly KilledConnection[],
  timeoutMs = 5_000,
): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  const wasKilled = (host: string, port: number, id: string) =>
    killed.some((k) => k.host === host && k.port === port && k.id === id);
  const renewed = async ({ host, port, id, ready }: NodeConnection) =>
    ready() && !wasKilled(host, port, await id());
  for (;;) {
    const all = await connections(tracking);
    const done = await Promise.all(all.map((connection) => renewed(connection).catch(() => false)));
    if (done.every(Boolean)) return;
    if (performance.now() > deadline) throw new Error(`not reconnected within ${timeoutMs} ms`);
    await sleep(10);
  }
}
