/** A Redis server for a test file, and how to let it go. */
export interface RedisHandle {
  readonly url: string;
  /** Stops the server if the harness started it; a no-op for `REDIS_URL`. */
  stop(): Promise<void>;
}
