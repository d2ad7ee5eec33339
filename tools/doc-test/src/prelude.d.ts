// The stand-ins the docs' snippets use without defining them: the reader's database, types
// and functions, and what an earlier snippet on the same page made (a Conn, a view). Every
// snippet is typechecked with these in scope; a snippet's own declarations shadow them.
// A name belongs here only when the prose makes plain what it is ("your database"); a
// snippet that uses an API without importing it is a bug in the doc, not a prelude entry.

type RedcacheCache<K, V> = import('@redcache/core').Cache<K, V>;

/** A row of the reader's database. */
interface User {
  id: number;
  name: string;
}
interface Product {
  id: number;
  name: string;
  price: number;
}

/** The reader's database: every call typed, none real. Users are found by id or by name, and updated. */
declare const db: {
  users: {
    find(id: number | string, options?: { signal?: AbortSignal }): Promise<User>;
    findMany(ids: readonly number[], options?: { signal?: AbortSignal }): Promise<User[]>;
    update(id: number, change: Partial<User>, options?: { signal?: AbortSignal }): Promise<User>;
  };
  products: {
    update(id: number, change: Partial<Product>, options?: { signal?: AbortSignal }): Promise<Product>;
  };
};

/** Opened earlier on the page: a Conn, the Redis URL or cluster nodes, a driver for `Conn.open`. */
declare const conn: import('@redcache/core').Conn;
declare const url: string;
declare const rootNodes: { url: string }[];
declare const driver: import('@redcache/core').Driver;

/** Views made earlier on the page, and what is passed to them. */
declare const users: RedcacheCache<number, User>;
declare const products: RedcacheCache<number, Product>;
declare const cache: RedcacheCache<number, Product>;
declare const id: number;
declare const ids: number[];
declare const key: number;
declare const ttl: number;
declare const loader: import('@redcache/core').Loader<number, Product>;
declare const loadMany: import('@redcache/core').MultiLoader<number, Product>;
declare const change: Partial<Product>;

/** The reader's own code: a logger, a fallback when Redis fails, a metrics exporter. */
declare const log: { warn(message: string, attributes: Record<string, unknown>): void };
declare function fallback(id: number): Promise<User>;
declare function yourMetricExporter(): import('@opentelemetry/sdk-metrics').PushMetricExporter;

/** testing-with-the-fake.md: the service of packages/testing/src/user-example. */
declare class PriceService {
  readonly fetches: string[];
  constructor(cache: RedcacheCache<string, number>, fetch: (sku: string) => Promise<number>);
  price(sku: string): Promise<number>;
  override(sku: string, price: number): Promise<void>;
}

/** testing-with-the-fake.md: the reader's own driver, and how to break or flush its server. */
declare function connectMyDriver(url: string): Promise<import('@redcache/core').Driver>;
declare function killConnectionOf(driver: import('@redcache/core').Driver): Promise<void>;
declare function flushServer(): Promise<void>;
