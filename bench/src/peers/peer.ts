/**
 * A cache under test, behind one shape: a cache-aside `get` with a loader, many keys at once,
 * and a write that other instances (other processes) must come to see. Each adapter is given
 * a key prefix of its own, under the run's prefix, so the bench can clean up by prefix.
 */
export type PeerLoad = () => Promise<unknown>;

export interface PeerCache {
  readonly name: string;
  /**
   * The key to pass to this peer's calls for the short name `name`: asked once, when a
   * workload builds its keys (never per call), so every contender is given constant, flat
   * strings. A peer that prefixes internally (bentocache's `prefix`, Keyv's namespace) is
   * given `name` and keeps that cost as its own.
   */
  key(name: string): string;
  /** The value of `key` (from `key()`), loaded through `load` (and stored) when the cache has none. */
  get(key: string, load: PeerLoad): Promise<unknown>;
  /** How `getMany` is done: the peer's batch API, or Promise.all of gets. */
  readonly manyHow: string;
  /** The values of `keys` (from `key()`); each missing one loaded through `load(key)` (and stored). */
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

/**
 * `prefix + name` as a flat string with its hash computed, as a literal would be: a
 * concatenation is a rope (V8 ConsString) until something flattens it, and a workload must
 * not leave that work to whichever contender reads the key first.
 */
export function flatKey(prefix: string, name: string): string {
  const key = JSON.parse(JSON.stringify(prefix + name)) as string;
  FLATTEN.add(key);
  FLATTEN.clear();
  return key;
}
const FLATTEN = new Set<string>();

/** `names` as this peer's keys, built once (see `PeerCache.key`). */
export const peerKeys = (peer: { key(name: string): string }, names: readonly string[]): string[] =>
  names.map((name) => peer.key(name));

/** The floors' keys: the short names themselves, flat like every peer's. */
export const FLOOR_KEYS = { key: (name: string) => flatKey('', name) };
