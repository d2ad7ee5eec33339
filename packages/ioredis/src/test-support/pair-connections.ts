import { redisCommand } from '@redcache/redis-harness';
import type { Redis } from 'ioredis';

/** What a test may reach of a driver's tracking pair. */
export interface WithConnections {
  readonly connections: { readonly data: Redis; readonly subscriber: Redis };
}

/** Kills one connection of the driver's pair server-side (`CLIENT KILL ID`), as a network fault would. */
export async function killPairConnection(
  driver: WithConnections,
  side: 'data' | 'subscriber',
  port: number,
): Promise<void> {
  const connection = driver.connections[side];
  // A subscribed connection cannot run CLIENT ID: find it by its address in CLIENT LIST.
  const local = connection.stream?.localPort;
  const list = await redisCommand('127.0.0.1', port, ['CLIENT', 'LIST']);
  if (typeof list !== 'string') throw new Error(`CLIENT LIST: ${String(list)}`);
  const line = list.split('\n').find((entry) => entry.includes(`addr=127.0.0.1:${local} `));
  const id = line?.match(/\bid=(\d+)/)?.[1];
  if (id === undefined)
    throw new Error(`no server-side connection for the ${side} connection (port ${local})`);
  const killed = await redisCommand('127.0.0.1', port, ['CLIENT', 'KILL', 'ID', id]);
  if (killed !== 1) throw new Error(`CLIENT KILL ID ${id}: ${String(killed)}`);
}
