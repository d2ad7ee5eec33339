import { getRedis, type RedisHandle, uniqueKeyPrefix } from '@redcache/redis-harness';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Server, startServer } from './server-process.js';

// Two real server processes (src/main.ts) on one real Redis, real HTTP requests to both.

let redis: RedisHandle;
const servers: Server[] = [];

beforeAll(async () => {
  redis = await getRedis();
});
afterAll(async () => {
  for (const server of servers) server.kill();
  await redis.stop();
});

const start = async (count: number, keyPrefix: string, loaderMs: number) => {
  const started = await Promise.all(
    Array.from({ length: count }, () => startServer({ redisUrl: redis.url, keyPrefix, loaderMs })),
  );
  servers.push(...started);
  return started;
};
const getJson = async (url: string) => {
  const response = await fetch(url);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

describe('the fastify example, two processes on one Redis', () => {
  it('runs the loader once across both for concurrent requests of one cold key, and SIGTERM closes each cleanly', async () => {
    const keyPrefix = uniqueKeyPrefix('fastify-example');
    const pair = await start(2, keyPrefix, 300);
    const requests = pair.flatMap((server) =>
      Array.from({ length: 10 }, () => getJson(`${server.url}/products/7`)),
    );
    const answers = await Promise.all(requests);

    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(200));
    const loadedBy = answers[0]!.body.loadedBy;
    expect(pair.map((s) => s.pid)).toContain(loadedBy);
    for (const answer of answers) expect(answer.body).toEqual({ id: '7', name: 'Product 7', loadedBy });

    const exits = await Promise.all(pair.map((server) => server.stop('SIGTERM')));
    expect(exits).toEqual([
      { code: 0, signal: null },
      { code: 0, signal: null },
    ]);
    // Counted once both have exited, so every line they printed has been read.
    const loads = pair.flatMap((server) => server.lines().filter((line) => line.includes('loader ran for')));
    expect(loads).toEqual([`pid ${loadedBy}: loader ran for ${keyPrefix}product:7`]);
    for (const server of pair)
      expect(server.lines()).toContain(`pid ${server.pid}: server and redcache Conn closed`);
  });

  it('answers a request in flight when SIGTERM arrives, then exits 0', async () => {
    const keyPrefix = uniqueKeyPrefix('fastify-example');
    const [server] = await start(1, keyPrefix, 500);
    const loading = server!.nextLine((line) => line.includes('loader ran for'));
    const answer = getJson(`${server!.url}/products/8`);
    await loading;
    const exit = server!.stop('SIGTERM');

    expect(await answer).toEqual({
      status: 200,
      body: { id: '8', name: 'Product 8', loadedBy: server!.pid },
    });
    expect(await exit).toEqual({ code: 0, signal: null });
    expect(server!.lines()).toContain(`pid ${server!.pid}: server and redcache Conn closed`);
  });
});
