/**
 * Issue 15, acceptance 4: a mixed fleet on one Redis — a process on `@redcache/node-redis`, one
 * on `@redcache/ioredis`, and one playing the Go library with raw commands (its `Get`:
 * tracked `GET`, `SET key <lockPrefix><token> NX PX <lockTTL>`, a wait for a push or a poll when
 * the key is locked, and a compare-and-set of its envelope on the exact lock value; see
 * mixed-fleet-go.ts) — all ask for the same cold keys, and exactly one loader runs per key
 * across the three; everyone gets that loader's value.
 *
 * Each round uses fresh keys. Its loaders are held until, for every key, one member is loading
 * it and the two others wait on its lock (each member says which keys it loads and which it
 * waits for: the engine's `redcache:lockWait` channel, the played Go's refused `SET NX`); then
 * every key is released. Three rounds let one member lock every key before the others ask
 * (each member once); one splits the keys, each member locking a third before asking for the
 * rest (so each loads some and waits for the others' at once); the last two are races, all
 * three asking within a few ms of one instant, each key at a random moment of them, so who wins
 * each key is the race's.
 */
import { wallClockMs } from '@redcache/fleet';
import { type RedisServer, startRedisServer } from '@redcache/redis-harness';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FLEET_FLAVOURS, type FleetFlavour, loadedValue, loadsKey } from '../../src/mixed-fleet-protocol.js';
import {
  type FleetMember,
  type FleetValues,
  mergeValues,
  spawnFleetMember,
  untilLoading,
  untilOneLoadsAndTheRestWait,
} from '../../src/mixed-fleet-spawn.js';
import { keyPrefix } from '../../src/open-conn.js';

const KEYS_PER_ROUND = 6;

let server: RedisServer;
let raw: ReturnType<typeof createClient>;
let fleet: FleetMember[] = [];
/** Per member, how its waits had ended before the round (the counts only grow). */
const wakesBefore = new Map<FleetFlavour, Record<string, number>>();

beforeAll(async () => {
  server = await startRedisServer();
  raw = createClient({ url: server.url });
  raw.on('error', () => {});
  await raw.connect();
  fleet = await Promise.all(FLEET_FLAVOURS.map((flavour) => spawnFleetMember(flavour, server.url)));
  for (const member of fleet) wakesBefore.set(member.flavour, {});
});

afterAll(async () => {
  await Promise.all(fleet.map((member) => member.close()));
  await raw?.close();
  await server?.stop();
});

const memberOf = (flavour: FleetFlavour) => fleet.find((member) => member.flavour === flavour)!;

/**
 * How a round's members ask: `first` — one member locks every key before the others ask;
 * `split` — each member locks a third of the keys first, then asks for the rest; `race` — all
 * three ask at the same instant, each for the keys in its own order, and win what they win.
 */
type Round =
  | { readonly kind: 'first'; readonly first: FleetFlavour }
  | { readonly kind: 'split' }
  | { readonly kind: 'race' };

const roundName = (round: Round) => (round.kind === 'first' ? `${round.first} first` : round.kind);

/** How far ahead the members are told the instant to start a race (more than an IPC round trip). */
const RACE_LEAD_MS = 200;
/** Each key's get starts within this many ms of that instant, at random: each key has its own race. */
const RACE_SPREAD_MS = 4;

/** The round's gets, one promise per member in `fleet`'s order; resolves once all have asked. */
async function ask(keys: readonly string[], round: Round): Promise<Array<Promise<FleetValues>>> {
  if (round.kind === 'race') {
    const start = { atMs: wallClockMs() + RACE_LEAD_MS, spreadMs: RACE_SPREAD_MS };
    return fleet.map((member, index) => member.get(orderOf(keys, index), start));
  }
  if (round.kind === 'first') {
    const lead = memberOf(round.first);
    const leading = lead.get(keys);
    await untilLoading(lead, keys);
    return fleet.map((member) => (member === lead ? leading : member.get(keys)));
  }
  const own = fleet.map((_member, index) => keys.filter((_key, at) => at % fleet.length === index));
  const owning = fleet.map((member, index) => member.get(own[index]!));
  await Promise.all(fleet.map((member, index) => untilLoading(member, own[index]!)));
  return fleet.map(async (member, index) => {
    const rest = member.get(keys.filter((key) => !own[index]!.includes(key)));
    return mergeValues(await Promise.all([owning[index]!, rest]));
  });
}

/** Member `index`'s order of the keys: as given, reversed, or from the middle out. */
function orderOf(keys: readonly string[], index: number): string[] {
  if (index === 0) return [...keys];
  if (index === 1) return [...keys].reverse();
  const middle = Math.floor(keys.length / 2);
  return [...keys.slice(middle), ...keys.slice(0, middle)];
}

describe('mixed fleet: node-redis, ioredis and a played Go process on one Redis (issue 15, acceptance 4)', () => {
  const rounds: Round[] = [
    ...FLEET_FLAVOURS.map((first) => ({ kind: 'first' as const, first })),
    { kind: 'split' },
    { kind: 'race' },
    { kind: 'race' },
  ];
  for (const [index, round] of rounds.entries()) {
    const name = `round ${index + 1}, ${roundName(round)}`;
    it(`${name}: ${KEYS_PER_ROUND} cold keys, one loader per key across the three, the same value everywhere`, async () => {
      const prefix = keyPrefix(`mixed-fleet-${name.replaceAll(/\W+/g, '-')}`);
      const keys = Array.from({ length: KEYS_PER_ROUND }, (_, index) => `${prefix}k${index}`);
      const gets = await ask(keys, round);
      await untilOneLoadsAndTheRestWait(fleet, keys);
      await Promise.all(keys.flatMap((key) => fleet.map((member) => member.release(key))));
      const results = await Promise.all(gets);

      const loaderOf = new Map<string, FleetMember[]>();
      results.forEach((result, index) => {
        for (const key of result.loaded) loaderOf.set(key, [...(loaderOf.get(key) ?? []), fleet[index]!]);
      });
      const winners = keys.map((key) => (loaderOf.get(key) ?? []).map((m) => m.flavour).join('+') || 'none');
      console.log(`mixed fleet, ${name}: loaders per key ${winners.join(', ')}`);
      for (const key of keys) {
        expect({ key, loads: Number(await raw.get(loadsKey(key))) }).toEqual({ key, loads: 1 });
        const loaders = loaderOf.get(key) ?? [];
        expect(
          loaders.map((m) => m.flavour),
          `the members whose loader ran for ${key}`,
        ).toHaveLength(1);
        const expected = loadedValue(loaders[0]!.flavour, loaders[0]!.pid, key);
        expect({ key, values: results.map((result) => result.values[key]) }).toEqual({
          key,
          values: results.map(() => expected),
        });
      }
      if (round.kind === 'first') expect(results[fleet.indexOf(memberOf(round.first))]!.loaded).toEqual(keys);
      if (round.kind === 'split') {
        for (const result of results) expect(result.loaded).toHaveLength(KEYS_PER_ROUND / fleet.length);
      }
      // The waiters were woken by the loader's write (a push), not by lockTTL: each library's
      // compare-and-set invalidates the others' tracked reads.
      results.forEach((result, index) => {
        const member = fleet[index]!;
        const before = wakesBefore.get(member.flavour)!;
        const waited = keys.some((key) => !result.loaded.includes(key));
        if (waited) {
          expect({
            member: member.flavour,
            woken: (result.wakes.invalidation ?? 0) > (before.invalidation ?? 0),
          }).toEqual({
            member: member.flavour,
            woken: true,
          });
        }
        expect({ member: member.flavour, timeouts: result.wakes.timeout ?? 0 }).toEqual({
          member: member.flavour,
          timeouts: before.timeout ?? 0,
        });
        wakesBefore.set(member.flavour, result.wakes);
      });
    });
  }
});
