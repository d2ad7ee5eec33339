/**
 * One side of the tracing-overhead bench: a Conn on an in-memory Redis and a primed key, each
 * request a tight loop of near-hit `get`s. With argv[2] `stripped`, core's tracing is compiled
 * out first (see strip-tracing-hooks.ts), before core is imported.
 */
import { register } from 'node:module';
import { serveParent } from '@redcache/fleet';
import { opsPerSecond } from '../measure.js';
import type { HitWorkerChannel } from './protocol.js';

if (process.argv[2] === 'stripped') register('./strip-tracing-hooks.ts', import.meta.url);
const { Conn, newStringCache, StringCodec } = await import('@redcache/core');
const { createMemoryRedis } = await import('@redcache/testing');
const stripped = (globalThis as Record<string, unknown>).__redcacheTracingStripped === true;
if (stripped !== (process.argv[2] === 'stripped'))
  throw new Error(
    `bench: core's get is ${stripped ? '' : 'not '}stripped of tracing in the ${process.argv[2]} worker`,
  );

const conn = Conn.open(createMemoryRedis().connect(), {});
const cache = newStringCache(conn, StringCodec);
const TTL = 3_600_000;
const neverCalled = async (): Promise<string> => {
  throw new Error('bench: a primed key reached the loader');
};
await cache.get('hit', TTL, async () => 'value');
const hit = () => cache.get('hit', TTL, neverCalled);
const BATCH = 1_000;

serveParent<HitWorkerChannel>({
  handle: async (request) => ({ opsPerSecond: await opsPerSecond(hit, request.ms, BATCH) }),
  close: () => conn.close(),
});
