/**
 * The server: `REDIS_URL` (default redis://127.0.0.1:6379), `PORT` (default 3000; 0 picks a
 * free one), `HOST` (default 127.0.0.1), `LOADER_MS` (default 1000), `KEY_PREFIX` (default '').
 * SIGTERM or SIGINT shuts it down gracefully: it stops accepting connections, answers the
 * requests it has, closes the redcache Conn, and exits with status 0 once nothing is left open.
 */
import { connect } from '@redcache/node-redis';
import { buildApp } from './app.js';

const env = process.env;
const conn = await connect({ url: env.REDIS_URL || 'redis://127.0.0.1:6379' });
const app = buildApp(conn, {
  keyPrefix: env.KEY_PREFIX ?? '',
  loaderMs: Number(env.LOADER_MS || 1_000),
  onLoad: (key) => console.log(`pid ${process.pid}: loader ran for ${key}`),
});

const address = await app.listen({ host: env.HOST || '127.0.0.1', port: Number(env.PORT ?? 3000) });
console.log(`pid ${process.pid}: listening on ${address}`);

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    console.log(`pid ${process.pid}: ${signal}, shutting down`);
    // No process.exit: the process ends when the server and the Conn have closed, and not before.
    app.close().then(
      () => console.log(`pid ${process.pid}: server and redcache Conn closed`),
      (error: unknown) => {
        console.error(`pid ${process.pid}: shutdown failed`, error);
        process.exitCode = 1;
      },
    );
  });
}
