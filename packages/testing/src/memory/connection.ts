/** A connection as the server sees it: where its invalidation pushes go. */
export interface Connection {
  /** An invalidation for this connection: a key, or `null` for a flush. */
  deliver(key: string | null): void;
}
