import type { DriverNode, RedisArgument, RedisReply } from '@redcache/core';
import type { ClientPort } from '../client/client-port.js';
import type { ClusterNodePort, ClusterPort } from '../cluster/cluster-port.js';
import { commandSender } from '../pipeline/command-sender.js';
import { sendPipeline } from '../pipeline/send-pipeline.js';

/** Sends each command's arguments on `client`, as one pipeline (the commands name no key to route by). */
function sendOn(
  client: ClientPort,
  commands: ReadonlyArray<readonly RedisArgument[]>,
): Promise<Array<RedisReply | Error>> {
  return sendPipeline(
    commands.map((args) => ({ key: '', args })),
    commandSender(client),
  );
}

/** The one node of a standalone client: the client itself. */
export function standaloneNodes(client: ClientPort, address: string): readonly DriverNode[] {
  return [{ address, send: (commands) => sendOn(client, commands) }];
}

/**
 * Every master of the cluster as node-redis knows it now, each sent to on its own client
 * (node-redis connects it on first use). A master that fails over while a command is in
 * flight fails that command (its client is gone): the caller sees the error, as with any send.
 */
export function clusterNodes(cluster: ClusterPort): readonly DriverNode[] {
  return cluster.masters.map((master) => ({
    address: master.address ?? 'cluster',
    send: async (commands) => sendOn(await clientOf(cluster, master), commands),
  }));
}

function clientOf(cluster: ClusterPort, master: ClusterNodePort): Promise<ClientPort> {
  if (typeof cluster.nodeClient === 'function') return cluster.nodeClient(master);
  if (master.client !== undefined) return Promise.resolve(master.client);
  return Promise.reject(new Error(`node-redis has no client for the master ${master.address ?? '?'}`));
}
