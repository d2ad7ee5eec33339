import type { NodeAddress } from './cluster-setup.js';
import { addressOf } from './cluster-setup.js';

const SLOTS = 16_384;

/** The cluster's masters and which of them serves each slot, as one node told it. */
export interface ClusterShape {
  /** The address (`host:port`) of the master of each slot; undefined for a slot no master serves. */
  readonly owners: ReadonlyArray<string | undefined>;
  /** Every master that serves a slot, by address. */
  readonly masters: ReadonlyMap<string, NodeAddress>;
}

/**
 * The shape a `CLUSTER SLOTS` reply gives: `[start, end, [host, port, id, …], …replicas]`
 * per range, each master named as `namedNode` says.
 *
 * @throws Error for a reply of any other shape, or one in which no master serves a slot.
 */
export function clusterShapeOf(
  reply: unknown,
  askedHost: string,
  mapped: (node: NodeAddress) => NodeAddress,
): ClusterShape {
  if (!Array.isArray(reply)) throw new Error(`CLUSTER SLOTS: not an array: ${String(reply)}`);
  const owners = new Array<string | undefined>(SLOTS).fill(undefined);
  const masters = new Map<string, NodeAddress>();
  for (const range of reply) {
    const [start, end, master] = Array.isArray(range) ? range : [];
    if (!Number.isInteger(start) || !Number.isInteger(end) || !Array.isArray(master)) {
      throw new Error(`CLUSTER SLOTS: a range of an unknown shape: ${JSON.stringify(range)}`);
    }
    const node = namedNode(String(master[0] ?? ''), Number(master[1]), askedHost, mapped);
    const address = addressOf(node);
    masters.set(address, node);
    for (let slot = Math.max(0, start); slot <= Math.min(SLOTS - 1, end); slot++) owners[slot] = address;
  }
  if (masters.size === 0) throw new Error('CLUSTER SLOTS: no master serves a slot');
  return { owners, masters };
}

/**
 * Where to connect to a node the cluster names by `host` and `port` (in `CLUSTER SLOTS`, or a
 * redirect): `mapped` (your `natMap`) of it; an empty host (Redis does not know the address it
 * is reached at) is the host of the node that answered, `askedHost`, which the driver
 * connected to already: that one is not mapped again.
 */
export function namedNode(
  host: string,
  port: number,
  askedHost: string,
  mapped: (node: NodeAddress) => NodeAddress,
): NodeAddress {
  return host === '' ? { host: askedHost, port } : mapped({ host, port });
}
