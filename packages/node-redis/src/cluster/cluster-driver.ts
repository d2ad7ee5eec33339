import {
  type DriverHealthEvent,
  type DriverNode,
  type InvalidationListener,
  keySlot,
  type RedisCommand,
  type RedisReply,
} from '@redcache/core';
import {
  HealthListeners,
  InvalidationListeners,
  type LivenessCheckOptions,
  redirectOf,
  retryTryAgain,
} from '@redcache/core/internal';
import type { ClientPort } from '../client/client-port.js';
import { closeQuietly } from '../client/close-client.js';
import type { NodeRedisDriver } from '../node-redis-driver.js';
import { clusterNodes } from '../nodes/driver-nodes.js';
import { COMMAND_OPTIONS } from '../pipeline/command-options.js';
import { commandSender } from '../pipeline/command-sender.js';
import { sendPipeline } from '../pipeline/send-pipeline.js';
import { type ClusterInvalidations, watchClusterInvalidations } from './cluster-invalidations.js';
import type { ClusterPort } from './cluster-port.js';

const isError = (reply: RedisReply | Error): boolean => reply instanceof Error;

/**
 * The driver for a node-redis cluster. Internal: the package exports the factory.
 *
 * Core sends each call's commands for one slot. The driver sends them all, in the same tick,
 * on the client of the node that owns that slot, so they go out as one write and run in
 * order. (Sending each through `cluster.sendCommand` would route them too, but node-redis
 * runs commands it can split across slots, such as DEL and EXISTS, through extra steps, and
 * they then overtake the GETs and SETs sent before them.)
 */
export class ClusterDriver<C> implements NodeRedisDriver<C> {
  readonly client: C;
  readonly #port: ClusterPort;
  readonly #listeners = new InvalidationListeners();
  readonly #health = new HealthListeners();
  readonly #invalidations: ClusterInvalidations;
  #closing: Promise<void> | undefined;

  constructor(client: C, port: ClusterPort, liveness?: LivenessCheckOptions | false) {
    this.#invalidations = watchClusterInvalidations(
      port,
      (key) => this.#listeners.emit(key),
      liveness,
      (event) => this.#health.emit(event),
    );
    this.client = client;
    this.#port = port;
  }

  async send(commands: readonly RedisCommand[]): Promise<Array<RedisReply | Error>> {
    const first = commands[0];
    if (first === undefined) return [];
    const node = await this.#port.getNodeClientForKey(first.key, false);
    // Listen before reading: a key read on this connection is reported on it.
    this.#invalidations.attach(node);
    const replies = await sendPipeline(commands, commandSender(node));
    if (!replies.some(isError)) return replies; // no error reply, so no redirect
    const redirects = commands.map((command, index) => redirectOf(command, replies[index]!));
    if (redirects.every((redirect) => redirect === undefined)) return replies;
    for (const [index, redirect] of redirects.entries()) {
      if (redirect !== undefined) replies[index] = await this.#resend(commands[index]!);
    }
    // The slot moved (MOVED, to this send or while the cluster followed a resent command):
    // what the old owner tracked for us may no longer be reported, so every key may have
    // changed. A slot still being migrated (ASK, TRYAGAIN) needs no such thing: the source
    // reports each key it hands over (MIGRATE deletes it there), and the target tracks what
    // we read on it.
    if (redirects.includes('moved') || (await this.#ownerChanged(first.key, node))) {
      this.#listeners.emit(null);
    }
    return replies;
  }

  onInvalidate(listener: InvalidationListener): () => void {
    return this.#listeners.add(listener);
  }

  /** Reports each failed liveness check and each node connection lost, or ready again. */
  onHealth(listener: (event: DriverHealthEvent) => void): () => void {
    return this.#health.add(listener);
  }

  slotOf(key: string): number {
    return keySlot(key);
  }

  /** Every master, as the cluster knows them now (`clear` scans each). */
  nodes(): readonly DriverNode[] {
    return clusterNodes(this.#port);
  }

  /** The `host:port` of the master that owns the key's slot, as the cluster knows it now. */
  serverOf(key: string): string {
    return this.#port.slots?.[keySlot(key)]?.master?.address ?? 'cluster';
  }

  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  /** Removes every listener the driver put on the cluster, and leaves it open. */
  detach(): void {
    this.#invalidations.detach();
    this.#listeners.clear();
    this.#health.clear();
  }

  /**
   * Sends a command that did not run on the node the driver chose through the cluster, which
   * follows MOVED (and learns the new topology) and ASK; a TRYAGAIN reply is sent again after
   * a pause (see core's driver-kit/try-again.ts), until the driver closes.
   */
  #resend(command: RedisCommand): Promise<RedisReply | Error> {
    const sendOnce = async () => {
      const [reply] = await sendPipeline([command], (args) =>
        this.#port.sendCommand(command.key, false, args, COMMAND_OPTIONS),
      );
      return reply!;
    };
    return retryTryAgain(sendOnce, () => this.#closing !== undefined);
  }

  /** True when the cluster now routes `key` to another node client than `before`. */
  async #ownerChanged(key: string, before: ClientPort): Promise<boolean> {
    try {
      return (await this.#port.getNodeClientForKey(key, false)) !== before;
    } catch {
      return true;
    }
  }

  async #close(): Promise<void> {
    this.detach();
    await closeQuietly(this.#port);
  }
}
