import { forkChild } from '@redcache/fleet';
import type { FleetChannel, FleetFlavour, FleetReply, FleetRequest } from './mixed-fleet-protocol.js';
import { pollUntil } from './poll-until.js';

const workerModule = new URL('./mixed-fleet-worker.ts', import.meta.url);

export type FleetValues = Extract<FleetReply, { type: 'values' }>;
export type FleetStatus = Extract<FleetReply, { type: 'status' }>;

/** The parent's end of a fleet member (mixed-fleet-worker.ts). */
export interface FleetMember {
  readonly flavour: FleetFlavour;
  readonly pid: number;
  /**
   * A `get` of each of `keys` at once (or each at `start.atMs` plus a random part of
   * `start.spreadMs`), loaders held; answered once all have values.
   */
  get(
    keys: readonly string[],
    start?: { readonly atMs: number; readonly spreadMs: number },
  ): Promise<FleetValues>;
  release(key: string): Promise<void>;
  status(): Promise<FleetStatus>;
  close(): Promise<void>;
}

/** Forks a fleet member of `flavour` on the Redis at `url`. */
export async function spawnFleetMember(flavour: FleetFlavour, url: string): Promise<FleetMember> {
  const child = await forkChild<FleetChannel>(workerModule, [flavour, url], { name: `${flavour} member` });
  const ask = async <T extends FleetReply['type']>(request: FleetRequest, type: T) => {
    const reply = await child.request(request);
    if (reply.type !== type) throw new Error(`${flavour} member answered ${reply.type} to ${request.type}`);
    return reply as Extract<FleetReply, { type: T }>;
  };
  return {
    flavour,
    pid: child.pid,
    get: (keys, start) => ask({ type: 'get', keys, ...start }, 'values'),
    release: async (key) => {
      await ask({ type: 'release', key }, 'released');
    },
    status: () => ask({ type: 'status' }, 'status'),
    close: () => child.close(),
  };
}

/**
 * Resolves once, for every one of `keys`, one member of `fleet` is loading it and every other
 * waits for it (it found the lock): the moment to let the loaders go.
 */
export async function untilOneLoadsAndTheRestWait(
  fleet: readonly FleetMember[],
  keys: readonly string[],
): Promise<void> {
  await pollUntil(`each of ${keys.length} keys loaded by one member, waited for by the others`, async () => {
    const statuses = await Promise.all(fleet.map((member) => member.status()));
    return keys.every((key) =>
      statuses.every((status) => status.loading.includes(key) || status.waiting.includes(key)),
    );
  });
}

/** Resolves once `member` is loading every one of `keys`. */
export async function untilLoading(member: FleetMember, keys: readonly string[]): Promise<void> {
  await pollUntil(`${member.flavour} loads ${keys.length} keys`, async () => {
    const { loading } = await member.status();
    return keys.every((key) => loading.includes(key));
  });
}

/** One member's answers to several `get` requests of a round, as one. */
export function mergeValues(replies: readonly FleetValues[]): FleetValues {
  const wakes: Record<string, number> = {};
  for (const reply of replies) {
    for (const [reason, count] of Object.entries(reply.wakes))
      wakes[reason] = Math.max(wakes[reason] ?? 0, count);
  }
  return {
    type: 'values',
    values: Object.assign({}, ...replies.map((reply) => reply.values)),
    loaded: replies.flatMap((reply) => reply.loaded),
    wakes,
  };
}
