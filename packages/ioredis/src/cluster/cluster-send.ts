import { ClosedError, keySlot, type RedisArgument, type RedisCommand, type RedisReply } from '@redcache/core';
import { redirectAddress, redirectOf, retryTryAgain } from '@redcache/core/internal';
import { sendOnPair } from '../pair/send-on-pair.js';
import type { TrackingPair } from '../pair/tracking-pair.js';
import { namedNode } from './cluster-shape.js';
import type { ClusterTopology } from './cluster-topology.js';

/** At most this many MOVED or ASK are followed for one command (the topology changing under it). */
const MAX_REDIRECTS = 5;

/** What the routed send tells the driver: that a slot moved (every key may have changed). */
export interface SendOutcome {
  moved: boolean;
}

/**
 * Sends one call's commands (core groups them: they share a slot) to the master that owns
 * the slot, through its tracking pair (gated and fenced: `sendOnPair`), and follows what the
 * cluster answers:
 * - every command `MOVED`: the topology is read again (from the node that said it first) and
 *   the whole call sent to the new owner, in one pipeline;
 * - some commands `MOVED` or `ASK`: each is sent again alone, `ASK` as `ASKING` and the
 *   command in one pipeline to the node it names, `MOVED` to the owner once the topology is
 *   read again; `TRYAGAIN` (a multi-key command whose keys are split by a migration) after a
 *   pause, as core's `retryTryAgain` says;
 * - each at most `MAX_REDIRECTS` times, after which the redirect is the reply.
 * A pair closed because its master left the topology is not an answer: the call goes to the
 * slot's owner as last read (the new owner; for an `ASK` target's pair, the owner asked
 * again). `outcome.moved` is set when any `MOVED` came.
 */
export class ClusterSend {
  readonly #topology: ClusterTopology;
  readonly #stopped: () => boolean;

  constructor(topology: ClusterTopology, stopped: () => boolean) {
    this.#topology = topology;
    this.#stopped = stopped;
  }

  async send(commands: readonly RedisCommand[], outcome: SendOutcome): Promise<Array<RedisReply | Error>> {
    const slot = keySlot(commands[0]!.key);
    const args = commands.map((command) => command.args);
    let sent = await this.#toOwner(slot, args);
    for (let hop = 0; hop < MAX_REDIRECTS && allMoved(commands, sent.replies); hop++) {
      outcome.moved = true;
      await this.#topology.refresh(sent.address);
      sent = await this.#toOwner(slot, args);
    }
    const replies = sent.replies;
    for (const [index, command] of commands.entries()) {
      if (redirectOf(command, replies[index]!) === undefined) continue;
      replies[index] = await this.#again(command, replies[index]!, outcome);
    }
    return replies;
  }

  /** A command the node did not run, sent again until it runs (or the redirects run out). */
  #again(
    command: RedisCommand,
    reply: RedisReply | Error,
    outcome: SendOutcome,
  ): Promise<RedisReply | Error> {
    const slot = keySlot(command.key);
    let first: RedisReply | Error | undefined = reply;
    const sendOnce = async () => {
      const answer = first ?? (await this.#toOwner(slot, [command.args])).replies[0]!;
      first = undefined;
      return this.#follow(command, answer, outcome);
    };
    return retryTryAgain(sendOnce, this.#stopped);
  }

  /** Follows MOVED and ASK for one command; any other reply (TRYAGAIN included) is returned. */
  async #follow(
    command: RedisCommand,
    reply: RedisReply | Error,
    outcome: SendOutcome,
  ): Promise<RedisReply | Error> {
    const slot = keySlot(command.key);
    for (let hop = 0; hop < MAX_REDIRECTS; hop++) {
      const redirect = redirectOf(command, reply);
      if (redirect === 'moved') {
        outcome.moved = true;
        await this.#topology.refresh();
        reply = (await this.#toOwner(slot, [command.args])).replies[0]!;
      } else if (redirect === 'ask') {
        const target = await this.#askTarget(reply as Error, slot);
        if (target === undefined) return reply;
        reply = await this.#asking(target, slot, command);
      } else {
        return reply;
      }
    }
    return reply;
  }

  /**
   * `ASKING` and the command on the pair of the master an ASK named. When that pair closes
   * under the call (its master left the topology, or still served nothing at the next read),
   * the slot's owner is asked again, as `#toOwner` does for a closed owner's pair.
   */
  async #asking(target: TrackingPair, slot: number, command: RedisCommand): Promise<RedisReply | Error> {
    try {
      return (await sendOnPair(target, [['ASKING'], command.args]))[1]!;
    } catch (error) {
      if (!(error instanceof ClosedError) || this.#stopped()) throw error;
      return (await this.#toOwner(slot, [command.args])).replies[0]!;
    }
  }

  /**
   * The pair of the master an ASK names (see `ClusterTopology.pairAt`); undefined for an ASK
   * that names no node (not a redirect, then: it is the reply).
   */
  async #askTarget(reply: Error, slot: number): Promise<TrackingPair | undefined> {
    const named = redirectAddress(reply);
    const colon = named?.lastIndexOf(':') ?? -1;
    const port = Number(named?.slice(colon + 1));
    if (named === undefined || colon < 0 || !Number.isInteger(port) || port <= 0) return undefined;
    // An empty host is the host of the node that answered: the slot's owner.
    const owner = this.#topology.ownerOf(slot) ?? '';
    const ownerHost = owner.slice(0, owner.lastIndexOf(':'));
    const node = namedNode(named.slice(0, colon), port, ownerHost, (asked) => this.#topology.mapped(asked));
    return this.#topology.pairAt(node);
  }

  /** Sends to the slot's owner; a pair closed under the call (its master left) sends to the next owner. */
  async #toOwner(
    slot: number,
    args: ReadonlyArray<readonly RedisArgument[]>,
  ): Promise<{ address: string; replies: Array<RedisReply | Error> }> {
    for (let attempt = 0; ; attempt++) {
      const pair = await this.#topology.pairOf(slot);
      const address = this.#topology.ownerOf(slot) ?? '';
      try {
        return { address, replies: await sendOnPair(pair, args) };
      } catch (error) {
        if (!(error instanceof ClosedError) || this.#stopped() || attempt >= MAX_REDIRECTS) throw error;
      }
    }
  }
}

function allMoved(commands: readonly RedisCommand[], replies: ReadonlyArray<RedisReply | Error>): boolean {
  return commands.every((command, index) => redirectOf(command, replies[index]!) === 'moved');
}
