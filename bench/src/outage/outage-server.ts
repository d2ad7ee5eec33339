import { ping, type RedisServer, startRedisServer } from '@redcache/redis-harness';

const HOST = '127.0.0.1';
/** How long a killed server may take to stop answering (a liveness bound, not a speed). */
const GONE_WITHIN_MS = 10_000;

/** A `redis-server` of the entry's own, on a free port, that the entry kills mid-run. */
export interface OutageServer {
  readonly url: string;
  readonly address: string;
  /** SIGKILL, then waits until nothing answers on the port. */
  kill(): Promise<void>;
  /** Stops the server if it still runs. Idempotent. */
  stop(): Promise<void>;
}

export async function startOutageServer(): Promise<OutageServer> {
  const server: RedisServer = await startRedisServer();
  return {
    url: server.url,
    address: `${HOST}:${server.port}`,
    async kill() {
      process.kill(server.pid, 'SIGKILL');
      const deadline = performance.now() + GONE_WITHIN_MS;
      while (await ping(HOST, server.port, 200)) {
        if (performance.now() > deadline)
          throw new Error(`redis-server ${HOST}:${server.port} still answers`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    stop: () => server.stop(),
  };
}
