import {
  ClosedError,
  type Driver,
  type DriverHealthEvent,
  type DriverNode,
  type InvalidationListener,
  keySlot,
  type RedisCommand,
  type RedisReply,
} from '@redcache/core';
import type { LivenessCheckOptions } from '@redcache/core/internal';
import type { Cluster, Redis } from 'ioredis';
import { DriverEvents } from '../pair/driver-events.js';
import { sendOnPair } from '../pair/send-on-pair.js';
import { closeCluster } from './close-cluster.js';
import { ClusterSend } from './cluster-send.js';
import type { ClusterSetup } from './cluster-setup.js';
import { ClusterTopology } from './cluster-topology.js';

/** How the cluster driver is made (see `driverFor`). */
export interface ClusterDriverOptions {
  readonly liveness: LivenessCheckOptions | false;
  /** True when `connect` made the cluster client: closing the driver closes it too. */
  readonly ownsClient: boolean;
  /** How long a call may wait for a master's tracking pair, in ms (`connectTimeoutMs`). */
  readonly waitMs: number;
}

/** One master's pair connections, for tests that break them. Not for sending on. */
export interface MasterConnections {
  readonly address: string;
  readonly port: number;
  readonly connections: { readonly data: Redis; readonly subscriber: Redis };
}

/**
 * The driver for a Redis Cluster: a tracking pair per master (see master-pairs.ts), the
 * topology read by the driver itself (cluster-topology.ts), each call sent to the master that
 * owns its slot and redirects followed (cluster-send.ts). Your `Cluster` is `client`, never
 * sent on by the driver. Internal: the package exports the factory.
 *
 * Invalidations and health reports of every pair go to the driver's listeners: a break of
 * any master's pair reports `null`, as on a single server, and so does a master leaving the
 * topology and a call that met `MOVED` (the slot's keys were tracked on the old owner).
 */
export class ClusterDriver<C> implements Driver<C> {
  readonly client: C;
  readonly #topology: ClusterTopology;
  readonly #send: ClusterSend;
  readonly #events = new DriverEvents();
  readonly #ownsClient: boolean;
  #closing: Promise<void> | undefined;

  constructor(client: C, setup: ClusterSetup, { liveness, ownsClient, waitMs }: ClusterDriverOptions) {
    this.client = client;
    this.#ownsClient = ownsClient;
    this.#topology = new ClusterTopology(setup, this.#events, liveness, waitMs);
    this.#send = new ClusterSend(this.#topology, () => this.#closing !== undefined);
    this.#topology.start();
  }

  async send(commands: readonly RedisCommand[]): Promise<Array<RedisReply | Error>> {
    if (this.#closing !== undefined) throw new ClosedError('send');
    if (commands.length === 0) return [];
    const outcome = { moved: false };
    try {
      return await this.#send.send(commands, outcome);
    } finally {
      // The slot moved: what its old owner tracked for us may never be reported, whether or
      // not the new owner then answered.
      if (outcome.moved) this.#events.invalidate(null);
    }
  }

  onInvalidate(listener: InvalidationListener): () => void {
    return this.#events.onInvalidate(listener);
  }

  /**
   * Reports each break of a master's pair (a lost connection, a failed fence or liveness
   * check), and each time one is established again.
   */
  onHealth(listener: (event: DriverHealthEvent) => void): () => void {
    return this.#events.onHealth(listener);
  }

  slotOf(key: string): number {
    return keySlot(key);
  }

  /** The `host:port` of the master that owns the key's slot, as the driver last read the topology. */
  serverOf(key: string): string {
    return this.#topology.ownerOf(keySlot(key)) ?? 'cluster';
  }

  /** Every master, once the topology is known (`clear` scans each); each sends through its pair, unrouted. */
  async nodes(): Promise<readonly DriverNode[]> {
    await this.#topology.whenKnown();
    return this.#topology.pairs
      .all()
      .map(({ address, pair }) => ({ address, send: (commands) => sendOnPair(pair, commands) }));
  }

  /** Settles once the topology is known and every master's pair is established; `connect` waits for it. */
  async whenEstablished(): Promise<void> {
    for (;;) {
      if (this.#closing !== undefined) throw new ClosedError('whenEstablished');
      await this.#topology.whenKnown();
      const pairs = this.#topology.pairs.all().map(({ pair }) => pair);
      try {
        await Promise.all(pairs.map((pair) => pair.whenEstablished()));
        if (this.#topology.pairs.allEstablished) return;
      } catch (error) {
        // A pair closed as its master left: wait for the others. Closed or late: give up.
        if (!(error instanceof ClosedError) || this.#closing !== undefined) throw error;
      }
    }
  }

  /** Each master's pair connections, for tests that break them. Not for sending on. */
  masterConnections(): MasterConnections[] {
    return this.#topology.pairs
      .all()
      .map(({ address, node, pair }) => ({ address, port: node.port, connections: pair }));
  }

  /** The last error a read of the topology or a pair saw, for `connect`'s message. */
  get lastError(): unknown {
    const paired = this.#topology.pairs.all().find(({ pair }) => pair.lastError !== undefined);
    return paired?.pair.lastError ?? this.#topology.lastError;
  }

  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    await Promise.all([
      this.#topology.close(),
      this.#ownsClient ? closeCluster(this.client as Cluster) : undefined,
    ]);
    this.#events.clear();
  }
}

/** An ioredis `Cluster` (its `isCluster` flag), as opposed to a `Redis`. */
export function isCluster(client: unknown): client is Cluster {
  return (client as { isCluster?: boolean } | null)?.isCluster === true;
}
