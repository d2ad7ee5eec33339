import { addressOf, type SocketAddress } from './address.js';
import { checkServerVersion, type SendHello } from './server-version.js';

/** A node-redis client, as the check needs it. */
interface ClientLike {
  readonly options?: { readonly socket?: SocketAddress | undefined } | undefined;
  sendCommand(args: readonly string[]): Promise<unknown>;
}

/** A node-redis cluster, as the check needs it: its masters, and a connected client for each. */
interface ClusterLike {
  readonly masters: ReadonlyArray<{ readonly address: string }>;
  nodeClient(node: { readonly address: string }): ClientLike | Promise<ClientLike>;
}

/** One server to check: where it is, and how to send it a command. */
export interface HelloTarget {
  readonly address: string;
  readonly send: SendHello;
}

function isCluster(client: unknown): client is ClusterLike {
  const candidate = client as Partial<ClusterLike>;
  return Array.isArray(candidate.masters) && typeof candidate.nodeClient === 'function';
}

/** The servers of a connected client: itself, or every master of a cluster. */
export function helloTargets(client: unknown): HelloTarget[] {
  if (!isCluster(client)) {
    const single = client as ClientLike;
    return [{ address: addressOf(single.options?.socket), send: (args) => single.sendCommand(args) }];
  }
  return client.masters.map((node) => ({
    address: node.address,
    send: async (args) => (await client.nodeClient(node)).sendCommand(args),
  }));
}

/** Checks every server of a connected client (see `checkServerVersion`), all at once, within `timeoutMs`. */
export async function checkServers(client: unknown, timeoutMs: number): Promise<void> {
  await Promise.all(
    helloTargets(client).map((target) => checkServerVersion(target.send, target.address, timeoutMs)),
  );
}
