import { type InvalidationListener, keySlot, type RedisCommand, type RedisReply } from '@redcache/core';
import { closeQuietly } from './close-client.js';
import { type ClusterInvalidations, watchClusterInvalidations } from './cluster-invalidations.js';
import type { ClusterPort } from './cluster-port.js';
import { COMMAND_OPTIONS } from './command-options.js';
import { InvalidationListeners } from './invalidation-listeners.js';
import type { NodeRedisDriver } from './node-redis-driver.js';
import { sendPipeline } from './send-pipeline.js';
import { toNodeRedisArgs } from './to-node-redis-args.js';

/** The slot a reply says lives elsewhere (MOVED) or is moving (ASK), or undefined for other replies. */
function redirectedSlot(reply: RedisReply | Error): number | undefined {
  if (!(reply instanceof Error)) return undefined;
  const match = /^(?:MOVED|ASK) (\d+) /.exec(reply.message);
  return match === null ? undefined : Number(match[1]);
}

/** A command that did not run because its key's slot lives elsewhere. */
const isRedirect = (command: RedisCommand, reply: RedisReply | Error): boolean =>
  redirectedSlot(reply) === keySlot(command.key);

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
  readonly #invalidations: ClusterInvalidations;
  #closing: Promise<void> | undefined;

  constructor(client: C, port: ClusterPort) {
    this.#invalidations = watchClusterInvalidations(port, (key) => this.#listeners.emit(key));
    this.client = client;
    this.#port = port;
  }

  async send(commands: readonly RedisCommand[]): Promise<Array<RedisReply | Error>> {
    const first = commands[0];
    if (first === undefined) return [];
    const node = await this.#port.getNodeClientForKey(first.key, false);
    // Listen before reading: a key read on this connection is reported on it.
    this.#invalidations.attach(node);
    const replies = await sendPipeline(commands, (command) =>
      node.sendCommand(toNodeRedisArgs(command.args), COMMAND_OPTIONS),
    );
    const redirected = replies.some((reply, index) => isRedirect(commands[index]!, reply));
    return redirected ? this.#redirect(commands, replies) : replies;
  }

  onInvalidate(listener: InvalidationListener): () => void {
    return this.#listeners.add(listener);
  }

  slotOf(key: string): number {
    return keySlot(key);
  }

  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  /** Removes every listener the driver put on the cluster, and leaves it open. */
  detach(): void {
    this.#invalidations.detach();
    this.#listeners.clear();
  }

  /**
   * The slot moved (MOVED) or is moving (ASK) since node-redis last learnt the topology. The
   * redirected commands did not run: they are sent again, one after the other, through the
   * cluster, which follows the redirect and learns the new topology. What the old owner
   * tracked for us may no longer be reported, so every key may have changed: `null`.
   *
   * A command whose arguments touch another slot than its `key` names keeps its MOVED error:
   * following it would route by the wrong key again.
   */
  async #redirect(
    commands: readonly RedisCommand[],
    replies: Array<RedisReply | Error>,
  ): Promise<Array<RedisReply | Error>> {
    this.#listeners.emit(null);
    for (const [index, reply] of replies.entries()) {
      const command = commands[index]!;
      if (!isRedirect(command, reply)) continue;
      const [again] = await sendPipeline([command], () =>
        this.#port.sendCommand(command.key, false, toNodeRedisArgs(command.args), COMMAND_OPTIONS),
      );
      replies[index] = again!;
    }
    return replies;
  }

  async #close(): Promise<void> {
    this.detach();
    await closeQuietly(this.#port);
  }
}
