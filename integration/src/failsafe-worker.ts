/**
 * A child process for the fail-safe tests: one Conn over a real Redis with the options the
 * parent gives (`failsafe-protocol.ts`). Its loaders count their calls in memory (the Redis
 * may be dead), and its metrics count the resilience events.
 */
import { Conn, NoopMetrics, newStringCache, StringCodec } from '@redcache/core';
import { notifyParent, serveParent, sleep } from '@redcache/fleet';
import type { FailSafeChannel, FailSafeReply, FailSafeRequest } from './failsafe-protocol.js';
import { keyReleases } from './key-releases.js';
import { openTracking } from './tracking-client.js';

const [url, optionsJson] = process.argv.slice(2);
const counts: Record<string, number> = {};
const count = (name: string, n = 1) => {
  counts[name] = (counts[name] ?? 0) + n;
};
const metrics = Object.assign(new NoopMetrics(), {
  failSafeServed: (n: number, cause: string) => count(`failSafeServed:${cause}`, n),
  degradedLoads: (n: number) => count('degradedLoads', n),
  loaderTimedOut: (kind: string) => count(`loaderTimedOut:${kind}`),
  redisDown: () => count('redisDown'),
  redisUp: () => count('redisUp'),
  commandTimeout: () => count('commandTimeout'),
  loaderErrors: (n: number) => count('loaderErrors', n),
  lockContended: (n: number) => count('lockContended', n),
});
const { driver } = await openTracking(url!);
const conn = Conn.open(driver, { ...JSON.parse(optionsJson ?? '{}'), metrics });
const cache = newStringCache(conn, StringCodec);
const loaderCalls: Record<string, number> = {};
const aborted: Record<string, number> = {};
const releaseOf = keyReleases();

const reply = (values: string[] = [], elapsedMs = 0): FailSafeReply => ({
  values,
  elapsedMs,
  loaderCalls: { ...loaderCalls },
  aborted: { ...aborted },
  metrics: { ...counts },
});

function loaderFor(request: Extract<FailSafeRequest, { type: 'get' }>) {
  return async (key: string, { signal }: { signal: AbortSignal }): Promise<string> => {
    loaderCalls[key] = (loaderCalls[key] ?? 0) + 1;
    notifyParent<FailSafeChannel>({ type: 'loading', key });
    switch (request.loader) {
      case 'value':
        await sleep(request.loaderMs);
        return request.value;
      case 'throw':
        await sleep(request.loaderMs);
        throw new Error(`loader of ${key} failed`);
      case 'hold':
        await releaseOf(key).released;
        return request.value;
      case 'hang':
        return new Promise<string>((_resolve, reject) => {
          signal.addEventListener('abort', () => {
            aborted[key] = (aborted[key] ?? 0) + 1;
            reject(signal.reason);
          });
        });
    }
  };
}

async function handle(request: FailSafeRequest): Promise<FailSafeReply> {
  switch (request.type) {
    case 'get': {
      const loader = loaderFor(request);
      const started = performance.now();
      const results = await Promise.allSettled(
        Array.from({ length: request.concurrency }, () =>
          cache.get(request.key, request.ttlMs, loader, request.opts),
        ),
      );
      const elapsedMs = performance.now() - started;
      return reply(
        results.map((r) =>
          r.status === 'fulfilled'
            ? r.value
            : `error:${(r.reason as Error).name}:${(r.reason as Error).message}`,
        ),
        elapsedMs,
      );
    }
    case 'release':
      releaseOf(request.key).release();
      return reply();
    case 'stats':
      return reply();
  }
}

serveParent<FailSafeChannel>({
  handle,
  close: () => conn.close(),
});
