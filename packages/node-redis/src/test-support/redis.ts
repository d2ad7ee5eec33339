import { randomUUID } from 'node:crypto';
import { createClient, type RedisClientOptions, type RedisClientType } from '@redis/client';

/** A key prefix of its own for each test file and run, so files can share a server. */
export function testPrefix(file: string): string {
  return `redcache-test:node-redis:${file}:${randomUUID()}:`;
}

/** A plain connected node-redis client (no tracking), for writes "from another process". */
export async function plainClient(url: string): Promise<RedisClientType> {
  const client: RedisClientType = createClient({ url });
  client.on('error', () => {});
  await client.connect();
  return client;
}

/** A connected client as the driver wants it: RESP3 with `emitInvalidate`. */
export async function trackingClient(
  url: string,
  options: RedisClientOptions = {},
): Promise<RedisClientType> {
  const client: RedisClientType = createClient({ url, emitInvalidate: true, ...options });
  client.on('error', () => {});
  await client.connect();
  return client;
}

/** Parses `INFO <section>` into a map of fields. */
export async function info(client: RedisClientType, section: string): Promise<Map<string, string>> {
  const text = String(await client.sendCommand(['INFO', section]));
  const fields = new Map<string, string>();
  for (const line of text.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0 && !line.startsWith('#')) fields.set(line.slice(0, colon), line.slice(colon + 1));
  }
  return fields;
}

/** Polls until `check` returns true, or fails after `timeoutMs`. */
export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 4_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not met in ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export const text = (reply: unknown): string =>
  reply instanceof Uint8Array ? Buffer.from(reply).toString('utf8') : String(reply);
