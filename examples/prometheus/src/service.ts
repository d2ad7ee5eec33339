import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { type Conn, JSONCodec, newStringCache } from '@redcache/core';
import { connect } from '@redcache/node-redis';
import { createOtelMetrics } from '@redcache/otel';

export interface ServiceOptions {
  /** The Redis to cache in. */
  readonly redisUrl: string;
  /** Every key the service writes starts with it. */
  readonly keyPrefix: string;
  /** The HTTP port; 0 (default) picks a free one. */
  readonly port?: number;
}

export interface Service {
  /** Where it listens: `${url}/metrics` is the scrape endpoint. */
  readonly url: string;
  /** The connection, for a test that wants to clean up its keys. */
  readonly conn: Conn;
  /** Stops the HTTP server, closes the connection and shuts the MeterProvider down. */
  close(): Promise<void>;
}

interface Product {
  readonly id: string;
  readonly name: string;
}

interface User {
  readonly id: string;
  readonly email: string;
}

/** The "database": a few milliseconds per read; ids starting with `broken` fail. */
async function fromDatabase<T>(id: string, make: (id: string) => T): Promise<T> {
  await sleep(5);
  if (id.startsWith('broken')) throw new Error(`no row ${id}`);
  return make(id);
}

/**
 * A small HTTP service: `GET /products/:id` and `GET /users/:id` read through two redcache
 * views named `products` and `users`, and `GET /metrics` is what Prometheus scrapes. The
 * exporter does not start its own server (`preventServerStart`): its request handler is
 * mounted on the service's, so one port serves both.
 */
export async function startService(options: ServiceOptions): Promise<Service> {
  const exporter = new PrometheusExporter({ preventServerStart: true });
  const meterProvider = new MeterProvider({ readers: [exporter] });
  const metrics = createOtelMetrics({ meterProvider });
  const conn = await connect({ url: options.redisUrl }, { metrics });
  const products = newStringCache(conn, JSONCodec<Product>(), { name: 'products' });
  const users = newStringCache(conn, JSONCodec<User>(), { name: 'users' });
  const key = (kind: string, id: string) => `${options.keyPrefix}${kind}:${id}`;

  const routes: Record<string, (id: string) => Promise<unknown>> = {
    products: (id) =>
      products.get(key('product', id), '1m', () =>
        fromDatabase(id, (found) => ({ id: found, name: `Product ${found}` })),
      ),
    users: (id) =>
      users.get(key('user', id), '1m', () =>
        fromDatabase(id, (found) => ({ id: found, email: `${found}@example.com` })),
      ),
  };

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (path === '/metrics') return exporter.getMetricsRequestHandler(request, response);
    const [, kind, id] = path.split('/');
    const route = kind === undefined ? undefined : routes[kind];
    if (route === undefined || id === undefined || id === '') {
      response.writeHead(404).end();
      return;
    }
    try {
      const body = JSON.stringify(await route(id));
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

function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
}
