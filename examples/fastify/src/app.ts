/**
 * The web app: one slow route behind redcache. `GET /products/:id` asks the product view; on
 * a miss the loader (a stand-in for a slow database query) runs once across every process
 * that shares the Redis, and every concurrent request, here or in another process, gets its
 * value. Closing the app closes the Conn (a Fastify `onClose` hook).
 */
import { type Conn, JSONCodec, newStringCache } from '@redcache/core';
import Fastify, { type FastifyInstance } from 'fastify';

export interface Product {
  readonly id: string;
  readonly name: string;
  /** The pid of the server process whose loader produced this value. */
  readonly loadedBy: number;
}

export interface AppOptions {
  /** Prefixes every cache key, so runs that share a Redis do not share keys. Default `''`. */
  readonly keyPrefix?: string;
  /** How long the stand-in database query takes, in ms. */
  readonly loaderMs: number;
  /** Called when the loader runs (the server prints it). */
  readonly onLoad?: (key: string) => void;
}

/** How long a loaded product stays cached. */
const PRODUCT_TTL = '5m';

/** A Fastify app over `conn`; `app.close()` finishes in-flight requests, then closes `conn`. */
export function buildApp(conn: Conn, options: AppOptions): FastifyInstance {
  const products = newStringCache(conn, JSONCodec<Product>());
  const app = Fastify();

  /** The slow query the cache protects. */
  const loadProduct = async (key: string, id: string): Promise<Product> => {
    options.onLoad?.(key);
    await new Promise((resolve) => setTimeout(resolve, options.loaderMs));
    return { id, name: `Product ${id}`, loadedBy: process.pid };
  };

  app.get<{ Params: { id: string } }>('/products/:id', async (request) => {
    const { id } = request.params;
    return products.get(`${options.keyPrefix ?? ''}product:${id}`, PRODUCT_TTL, (key) =>
      loadProduct(key, id),
    );
  });

  // Shutting down: a response still on its way closes its connection, or a keep-alive client
  // would hold the server open after its last answer (idle connections are closed at once).
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onSend', async (_request, reply) => {
    if (closing) reply.header('connection', 'close');
  });
  // Runs after the server has stopped accepting and answered what it had: nothing uses the Conn any more.
  app.addHook('onClose', () => conn.close());
  return app;
}
