// Run in a child process by connect.test.ts: connects, reads through the cache, closes, and
// must then exit by itself: no timer or socket of the driver may keep it alive.
import { newStringCache, StringCodec } from '@redcache/core';
import { connect } from '../connect.js';

const [url, key] = process.argv.slice(2);
const conn = await connect({ url: url ?? '' });
const cache = newStringCache(conn, StringCodec);
const value = await cache.get(key ?? 'missing-key', 60_000, async () => 'loaded');
await conn.close();
process.stdout.write(`value=${value}\n`);
