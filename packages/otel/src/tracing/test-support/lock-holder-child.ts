// Run in a child process by spawn-lock-holder.ts: another process that takes a key's lock and
// holds it. It reads `key` through its own Conn; its loader tells the parent it started
// (`loading`), then returns only once the parent says `release`; once the read settled it
// tells the parent (`done`), closes and exits.
import { newStringCache, StringCodec } from '@redcache/core';
import { connect } from '@redcache/node-redis';
import type { FromHolder, ToHolder } from './spawn-lock-holder.js';

const [url, key, value] = process.argv.slice(2);
const send = (message: FromHolder) => process.send?.(message);
const released = new Promise<void>((resolve) => {
  process.on('message', (message: ToHolder) => {
    if (message.type === 'release') resolve();
  });
});
const conn = await connect({ url: url ?? '' });
const cache = newStringCache(conn, StringCodec);
const result = await cache.get(key ?? '', 60_000, async () => {
  send({ type: 'loading' });
  await released;
  return value ?? '';
});
send({ type: 'done', value: result });
await conn.close();
process.disconnect();
