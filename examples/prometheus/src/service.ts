import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import {
  type Cache,
  type CallOptions,
  type Conn,
  type Duration,
  JSONCodec,
  newStringCache,
} from '@redcache/core';
import { connect } from '@redcache/node-redis';
import { createOtelMetrics } from '@redcache/otel';
import { Database } from './database.js';

export interface ServiceOptions {
  /** The Redis to cache in. */
  readonly redisUrl: string;
  /** Every key the service writes starts with it. */
  readonly keyPrefix: string;
  /** The HTTP port; 0 (default) picks a free one. */
  readonly port?: number;
  /** The near cache's bound on entries. Default 10 000. */
  readonly nearCacheMaxEntries?: number;
}

export interface Service {
  /** Where it listens: `${url}/metrics` is the scrape endpoint. */
  readonly url: string;
  /** The connection, for a test that wants to clean up its keys. */
  readonly conn: Conn;
  /** Stops the HTTP server, closes the connection and shuts the MeterProvider down. */
  close(): Promise<void>;
}

export interface Product {
  readonly id: string;
  readonly name: string;
}

export interface User {
  readonly id: string;
  readonly email: string;
}

/** The codecs of the service's two views, for a test that opens another connection on the same keys. */
export const productCodec = JSONCodec<Product>();
export const userCodec = JSONCodec<User>();

/** The Redis key of `/kind/id` (`kind`: `products` or `users`). */
export function keyOf(prefix: string, kind: string, id: string): string {
  return `${prefix}${kind}:${id}`;
}

/**
 * A small HTTP service: `GET /products/:id` and `GET /users/:id` read through two redcache
 * views named `products` and `users` (`?ttl=100ms` sets the ttl; default one minute), and
 * `GET /metrics` is what Prometheus scrapes. The exporter does not start its own server
 * (`preventServerStart`): its request handler is mounted on the service's, so one port serves
 * both. It turns on what a dashboard shows: fail-safe fallbacks (products only), loads while
 * Redis is down, a hard loader timeout, refresh-ahead, and a short command timeout.
 */
export async function startService(options: ServiceOptions): Promise<Service> {
  const exporter = new PrometheusExporter({ preventServerStart: true });
  const meterProvider = new MeterProvider({ readers: [exporter] });
  const conn = await connect(
    { url: options.redisUrl },
    {
      metrics: createOtelMetrics({ meterProvider }),
      nearCache: { maxEntries: options.nearCacheMaxEntries ?? 10_000 },
      whenRedisIsDown: 'load',
      loaderTimeout: { hardMs: '250ms' },
      commandTimeoutMs: '250ms',
      refreshAfterFraction: 0.8,
    },
  );
  const database = new Database();
  const views: Record<string, (id: string, ttl: Duration) => Promise<unknown>> = {
    // Products keep fallbacks for ten minutes past their ttl, served when the database or
    // Redis fails; users keep none (a stale email is worse than an error), so theirs expire.
    products: reader(
      newStringCache(conn, productCodec, { name: 'products' }),
      (id, signal) => database.read(id, (found) => ({ id: found, name: `Product ${found}` }), signal),
      { failSafe: { maxStaleMs: '10m', throttleMs: 0 } },
    ),
    users: reader(newStringCache(conn, userCodec, { name: 'users' }), (id, signal) =>
      database.read(id, (found) => ({ id: found, email: `${found}@example.com` }), signal),
    ),
  };

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (url.pathname === '/metrics') return exporter.getMetricsRequestHandler(request, response);
    const [, kind, id] = url.pathname.split('/');
    const view = kind === undefined ? undefined : views[kind];
    if (view === undefined || id === undefined || id === '') {
      response.writeHead(404).end();
      return;
    }
    try {
      const ttl = (url.searchParams.get('ttl') ?? '1m') as Duration;
      const body = JSON.stringify(await view(keyOf(options.keyPrefix, kind!, id), ttl));
      response.writeHead(200, { 'content-type': 'application/json' }).end(body);
    } catch (error) {
      response.writeHead(502, { 'content-type': 'text/plain' }).end(String(error));
    }
  };

  const server = createServer((request, response) => void handle(request, response));
  await listen(server, options.port ?? 0);
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    conn,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await conn.close();
      await meterProvider.shutdown();
    },
  };
}

/** A view's read: the Redis key in, the value out, loaded from the database by the id after the prefix. */
function reader<V>(
  cache: Cache<string, V>,
  load: (id: string, signal: AbortSignal) => Promise<V>,
  options?: CallOptions,
): (key: string, ttl: Duration) => Promise<V> {
  return (key, ttl) =>
    cache.get(
      key,
      ttl,
      (found, context) => load(found.slice(found.lastIndexOf(':') + 1), context.signal),
      options,
    );
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
}
