/**
 * A member of a mixed fleet (mixed-fleet.test.ts): a Conn through `@redcache/node-redis`'s
 * `connect({ url })` or `@redcache/ioredis`'s `connect(url)`, or the Go library played with raw
 * commands (mixed-fleet-go.ts), as its first argument says. Its loaders count their calls in
 * Redis and are held until the parent releases the key.
 */
import { tracingChannel } from 'node:diagnostics_channel';
import { type Conn, newStringCache, StringCodec } from '@redcache/core';
import { serveParent, sleepUntil } from '@redcache/fleet';
import { connect as connectIoredis } from '@redcache/ioredis';
import { connect as connectNodeRedis } from '@redcache/node-redis';
import { createClient } from 'redis';
import { keyReleases } from './key-releases.js';
import { PlayedGoClient } from './mixed-fleet-go.js';
import {
  type FleetChannel,
  type FleetFlavour,
  type FleetReply,
  type FleetRequest,
  loadedValue,
  loadsKey,
} from './mixed-fleet-protocol.js';

const TTL_MS = 60_000;

const [flavour, url] = process.argv.slice(2) as [FleetFlavour, string];
const counter = createClient({ url });
counter.on('error', () => {});
await counter.connect();
const releaseOf = keyReleases();
const loading = new Set<string>();
const waiting = new Set<string>();
const wakes: Record<string, number> = {};
const woke = (reason: string) => {
  wakes[reason] = (wakes[reason] ?? 0) + 1;
};

async function load(key: string): Promise<string> {
  await counter.incr(loadsKey(key));
  loading.add(key);
  await releaseOf(key).released;
  return loadedValue(flavour, process.pid, key);
}

interface Member {
  get(key: string): Promise<string>;
  close(): Promise<unknown>;
}

async function openMember(): Promise<Member> {
  if (flavour === 'go') {
    const go = await PlayedGoClient.open(url, {
      waiting: (key) => waiting.add(key),
      woke: (_key, reason) => woke(reason),
    });
    return { get: (key) => go.get(key, TTL_MS, load), close: () => go.close() };
  }
  const conn: Conn = flavour === 'node-redis' ? await connectNodeRedis({ url }) : await connectIoredis(url);
  const cache = newStringCache(conn, StringCodec);
  // Each wait for a key another process (or caller) has locked, as the engine publishes it.
  tracingChannel<{ keys: readonly string[]; ended?: string }>('redcache:lockWait').subscribe({
    start: (event) => {
      for (const key of event.keys) waiting.add(key);
    },
    end: () => {},
    asyncStart: (event) => woke(event.ended ?? 'unknown'),
    asyncEnd: () => {},
    error: () => {},
  });
  return { get: (key) => cache.get(key, TTL_MS, load), close: () => conn.close() };
}

const member = await openMember();

async function handle(request: FleetRequest): Promise<FleetReply> {
  switch (request.type) {
    case 'get': {
      const { atMs, spreadMs = 0 } = request;
      const values: Record<string, string> = {};
      await Promise.all(
        request.keys.map(async (key) => {
          if (atMs !== undefined) await sleepUntil(atMs + Math.random() * spreadMs);
          values[key] = await member.get(key);
        }),
      );
      return {
        type: 'values',
        values,
        loaded: request.keys.filter((key) => loading.has(key)),
        wakes: { ...wakes },
      };
    }
    case 'release':
      releaseOf(request.key).release();
      return { type: 'released' };
    case 'status':
      return { type: 'status', loading: [...loading], waiting: [...waiting] };
  }
}

serveParent<FleetChannel>({
  handle,
  async close() {
    await member.close();
    await counter.close();
  },
});
