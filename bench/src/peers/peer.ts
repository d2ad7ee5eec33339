/**
 * A cache under test, behind one shape: a cache-aside `get` with a loader, many keys at once,
 * and a write that other instances (other processes) must come to see. Each adapter is given
 * a key prefix of its own, under the run's prefix, so the bench can clean up by prefix.
 */
export type PeerLoad = () => Promise<unknown>;

export interface PeerCache {
  readonly name: string;
  /** The value of `key`, loaded through `load` (and stored) when the cache has none. */
  get(key: string, load: PeerLoad): Promise<unknown>;
  /** How `getMany` is done: the peer's batch API, or Promise.all of gets. */
  readonly manyHow: string;
  /** The values of `keys`; each missing one loaded through `load(key)` (and stored). */
  getMany(keys: readonly string[], load: (key: string) => Promise<unknown>): Promise<unknown>;
  /** Writes `value` to the shared tier, so other instances see it (by push or bus). */
  set(key: string, value: unknown): Promise<unknown>;
  close(): Promise<void>;
}

export interface PeerOptions {
  readonly url: string;
  /** Every key this peer writes starts with it (in Redis too). */
  readonly prefix: string;
  /** Values are decoded JSON objects (else strings). */
  readonly json?: boolean;
}

/** TTL of everything the peers store: longer than the run, so no hit turns into a miss. */
export const PEER_TTL_MS = 10 * 60_000;

/** An awaited local lookup with no loader: an in-memory floor (Map, lru-cache). */
export interface LocalFloor {
  readonly name: string;
  get(key: string): Promise<unknown>;
  set(key: string, value: unknown): void;
  clear(): void;
}
