import { redisCommand } from './redis-command.js';
import type { RedisCluster } from './start-redis-cluster.js';

const HOST = '127.0.0.1';
const MIGRATE_TIMEOUT_MS = '5000';

/** Sends one command to the node on `port`; an error reply rejects. */
async function command(port: number, ...args: string[]): Promise<unknown> {
  const reply = await redisCommand(HOST, port, args);
  if (reply instanceof Error) throw new Error(`${args.join(' ')} on ${port}: ${reply.message}`);
  return reply;
}

/** `CLUSTER SLOTS` of the node on `port`: each range with the port of its master. */
async function slotRanges(port: number): Promise<Array<{ start: number; end: number; master: number }>> {
  const ranges = (await command(port, 'CLUSTER', 'SLOTS')) as Array<[number, number, [string, number]]>;
  return ranges.map(([start, end, [, master]]) => ({ start, end, master }));
}

/** The port of the master that serves `slot`, as the node on `port` sees it. */
export async function slotOwnerPort(port: number, slot: number): Promise<number | undefined> {
  return (await slotRanges(port)).find((range) => range.start <= slot && slot <= range.end)?.master;
}

/** The ports of the cluster's masters, as its first node sees them. */
async function masterPorts(cluster: RedisCluster): Promise<number[]> {
  return [...new Set((await slotRanges(cluster.nodes[0]!.port)).map((range) => range.master))];
}

/**
 * Moves one hash slot from its master to another one, step by step, the way
 * `redis-cli --cluster reshard` does: `CLUSTER SETSLOT <slot> IMPORTING` on the target and
 * `MIGRATING` on the source (`begin`), the keys in batches of `MIGRATE … KEYS` (`migrate`,
 * `migrateRest`), then `SETSLOT <slot> NODE <target>` on the target, the source and the other
 * masters (`finish`). Between the steps the slot is half moved: the source answers ASK for
 * keys it does not have, and TRYAGAIN for a multi-key command whose keys are split.
 */
export class SlotMigration {
  readonly slot: number;
  /** The port of the master the slot leaves. */
  readonly from: number;
  /** The port of the master the slot goes to. */
  readonly to: number;
  readonly #cluster: RedisCluster;
  readonly #fromId: string;
  readonly #toId: string;

  private constructor(cluster: RedisCluster, slot: number, ports: readonly number[], ids: readonly string[]) {
    this.#cluster = cluster;
    this.slot = slot;
    this.from = ports[0]!;
    this.to = ports[1]!;
    this.#fromId = ids[0]!;
    this.#toId = ids[1]!;
  }

  /** Plans moving `slot` from its master to another master (the first other one, unless `to` says). */
  static async plan(cluster: RedisCluster, slot: number, to?: number): Promise<SlotMigration> {
    const masters = await masterPorts(cluster);
    const from = await slotOwnerPort(masters[0]!, slot);
    const target = to ?? masters.find((port) => port !== from);
    if (from === undefined || target === undefined || target === from) {
      throw new Error(`cannot move slot ${slot} from ${from} to ${target}`);
    }
    const ports = [from, target];
    const ids = await Promise.all(ports.map(async (port) => String(await command(port, 'CLUSTER', 'MYID'))));
    return new SlotMigration(cluster, slot, ports, ids);
  }

  /** Opens the migration: the target imports the slot, then the source migrates it. */
  async begin(): Promise<void> {
    await command(this.to, 'CLUSTER', 'SETSLOT', String(this.slot), 'IMPORTING', this.#fromId);
    await command(this.from, 'CLUSTER', 'SETSLOT', String(this.slot), 'MIGRATING', this.#toId);
  }

  /** Moves these keys of the slot to the target in one `MIGRATE`; keys the source lacks are skipped. */
  async migrate(keys: readonly string[]): Promise<void> {
    if (keys.length === 0) return;
    const target = String(this.to);
    await command(this.from, 'MIGRATE', HOST, target, '', '0', MIGRATE_TIMEOUT_MS, 'KEYS', ...keys);
  }

  /** Up to `count` keys of the slot the source still holds. */
  async keysLeft(count = 1000): Promise<string[]> {
    const keys = await command(this.from, 'CLUSTER', 'GETKEYSINSLOT', String(this.slot), String(count));
    return (keys as unknown[]).map(String);
  }

  /**
   * Moves every key the source still holds, `batch` keys per `MIGRATE` (redis-cli's
   * `--cluster-pipeline`, 10 by default), awaiting `between()` after each batch. Resolves
   * with the number of keys moved.
   */
  async migrateRest(batch = 10, between: () => Promise<void> = async () => {}): Promise<number> {
    let moved = 0;
    for (let keys = await this.keysLeft(batch); keys.length > 0; keys = await this.keysLeft(batch)) {
      await this.migrate(keys);
      moved += keys.length;
      await between();
    }
    return moved;
  }

  /**
   * Gives the slot to the target: `SETSLOT NODE` on the target first, then on the source (which
   * must hold no key of the slot any more), then on every other master; resolves once every
   * node, replicas included, names the target as the slot's master.
   */
  async finish(): Promise<void> {
    const masters = await masterPorts(this.#cluster);
    const others = masters.filter((port) => port !== this.from && port !== this.to);
    for (const port of [this.to, this.from, ...others]) {
      await command(port, 'CLUSTER', 'SETSLOT', String(this.slot), 'NODE', this.#toId);
    }
    const deadline = performance.now() + 10_000;
    for (;;) {
      const owners = await Promise.all(
        this.#cluster.nodes.map((node) => slotOwnerPort(node.port, this.slot)),
      );
      if (owners.every((owner) => owner === this.to)) return;
      if (performance.now() > deadline)
        throw new Error(`slot ${this.slot}: not every node names ${this.to} its master`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
}
