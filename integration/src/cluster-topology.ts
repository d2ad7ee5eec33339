import { keySlot } from '@redcache/core';
import { redisCommand } from '@redcache/redis-harness';

/** Slot → port of the master serving it, as one node of the cluster reports it (`CLUSTER SLOTS`). */
export type SlotOwners = readonly number[];

/** Reads `CLUSTER SLOTS` from the node on `port`. */
export async function slotOwners(port: number): Promise<SlotOwners> {
  const reply = await redisCommand('127.0.0.1', port, ['CLUSTER', 'SLOTS']);
  if (!Array.isArray(reply)) throw new Error(`CLUSTER SLOTS on ${port}: ${String(reply)}`);
  const owners: number[] = [];
  for (const range of reply) {
    if (!Array.isArray(range)) throw new Error(`CLUSTER SLOTS range on ${port}: ${String(range)}`);
    const [start, end, master] = range as [number, number, [string, number, ...unknown[]]];
    for (let slot = start; slot <= end; slot++) owners[slot] = master[1];
  }
  return owners;
}

/** The distinct master ports of `owners`, in slot order. */
export function mastersOf(owners: SlotOwners): number[] {
  return [...new Set(owners)];
}

/** The port of the master serving `key`. */
export function ownerOf(owners: SlotOwners, key: string): number {
  const port = owners[keySlot(key)];
  if (port === undefined) throw new Error(`no master serves the slot of ${key}`);
  return port;
}

/**
 * `count` keys named `<prefix><i>`, spread round-robin over the masters, so every master has
 * one when `count` ≥ the number of masters.
 */
export function keysOnEveryMaster(owners: SlotOwners, prefix: string, count: number): string[] {
  const masters = mastersOf(owners);
  const perMaster = Math.ceil(count / masters.length);
  const byMaster = new Map<number, string[]>(masters.map((port) => [port, []]));
  for (let i = 0; [...byMaster.values()].some((keys) => keys.length < perMaster); i++) {
    const key = `${prefix}${i}`;
    byMaster.get(ownerOf(owners, key))!.push(key);
  }
  const keys: string[] = [];
  for (let round = 0; keys.length < count; round++) {
    for (const port of masters) {
      const key = byMaster.get(port)![round];
      if (key !== undefined && keys.length < count) keys.push(key);
    }
  }
  return keys;
}

/** The first word of `ROLE` on `port`: `master` or `slave`. */
export async function roleOf(port: number): Promise<string> {
  const reply = await redisCommand('127.0.0.1', port, ['ROLE']);
  return Array.isArray(reply) ? String(reply[0]) : String(reply);
}

/** The port of the first replica of the master on `port`. */
export async function replicaOf(port: number): Promise<number> {
  const reply = await redisCommand('127.0.0.1', port, ['ROLE']);
  const replicas = Array.isArray(reply) ? reply[2] : undefined;
  const first = Array.isArray(replicas) ? replicas[0] : undefined;
  if (!Array.isArray(first)) throw new Error(`the node on ${port} has no replica (ROLE: ${String(reply)})`);
  return Number(first[1]);
}
