// The stand-ins the docs' snippets use without defining them: your database, your types, a
// Conn opened in an earlier snippet. Every snippet is typechecked with these in scope (a
// snippet's own declarations shadow them). Keep them few, typed as a reader would assume.

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

/** The reader's database (a stand-in: every call is typed, none is real). */
declare const db: {
  users: {
    find(id: number, options?: { signal?: AbortSignal }): Promise<User>;
    findMany(ids: readonly number[], options?: { signal?: AbortSignal }): Promise<User[]>;
  };
  products: {
    update(id: number, change: Partial<Product>, options?: { signal?: AbortSignal }): Promise<Product>;
  };
};

/** A Conn opened earlier on the page, the Redis URL it was opened with, a driver for `Conn.open`. */
declare const conn: import('@redcache/core').Conn;
declare const url: string;
declare const driver: import('@redcache/core').Driver;

/** Views made earlier on the page, and what is passed to them. */
declare const users: import('@redcache/core').Cache<number, User>;
declare const products: import('@redcache/core').Cache<number, Product>;
declare const id: number;
declare const ids: readonly number[];
