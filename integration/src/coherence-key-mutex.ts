import { sleep } from '@redcache/fleet';

/** What the mutex needs of a plain (non-tracking) client: one command at a time. */
export interface RawCommands {
  sendCommand(args: string[]): Promise<unknown>;
}

/** A held writer mutex. `release` throws if the mutex had expired meanwhile (the run is then invalid). */
export interface MutexHold {
  release(): Promise<void>;
}

/** Compare-and-delete: the mutex is released only by the holder of its token. */
const RELEASE =
  "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0";

/**
 * Past this, a held mutex expires (the holder then finds its release refused and fails the
 * run): far above any write's duration, so it expires only if a holder died.
 */
const MUTEX_TTL_MS = 60_000;

/**
 * The stress test's writer mutex, one per data key, shared by every writer of the run (every
 * worker, the raw writer): a plain Redis key `<prefix>mutex:<key>` taken with `SET NX PX` and
 * released by compare-and-delete, with a queue in front of it for the writers of this process.
 * A writer holds it from the `INCR` that gives its value a version until its write has been
 * answered, so per key the versions land in Redis in increasing order: the version order is
 * the order of the key's history, and "older" is decidable. Not a redcache lock: the caches
 * never read the mutex keys.
 */
export class KeyMutex {
  readonly #client: RawCommands;
  readonly #prefix: string;
  readonly #owner: string;
  readonly #versionKey: string;
  /** Per key, the end of this process's queue for it. */
  readonly #tails = new Map<string, Promise<void>>();
  #tokens = 0;

  constructor(client: RawCommands, prefix: string, owner: string) {
    this.#client = client;
    this.#prefix = prefix;
    this.#owner = owner;
    this.#versionKey = `${prefix}version`;
  }

  /** Waits for the mutex of `key` (this process's earlier holders first), and holds it. */
  async acquire(key: string): Promise<MutexHold> {
    const previous = this.#tails.get(key) ?? Promise.resolve();
    let leave!: () => void;
    const left = new Promise<void>((resolve) => {
      leave = resolve;
    });
    const mine = previous.then(() => left);
    this.#tails.set(key, mine);
    await previous;
    const mutexKey = `${this.#prefix}mutex:${key}`;
    const token = `${this.#owner}:${++this.#tokens}`;
    const px = String(MUTEX_TTL_MS);
    while ((await this.#client.sendCommand(['SET', mutexKey, token, 'NX', 'PX', px])) !== 'OK')
      await sleep(1);
    return {
      release: async () => {
        try {
          const released = await this.#client.sendCommand(['EVAL', RELEASE, '1', mutexKey, token]);
          if (Number(released) !== 1) throw new Error(`the writer mutex of ${key} expired while held`);
        } finally {
          if (this.#tails.get(key) === mine) this.#tails.delete(key);
          leave();
        }
      },
    };
  }

  /** The next version of the run (`INCR`): take it only while holding the key's mutex. */
  async nextVersion(): Promise<number> {
    return Number(await this.#client.sendCommand(['INCR', this.#versionKey]));
  }

  /** Runs `write` with the mutex of `key` held and a fresh version, then releases it. */
  async withVersion<T>(key: string, write: (version: number) => Promise<T>): Promise<T> {
    const hold = await this.acquire(key);
    let result: T;
    try {
      result = await write(await this.nextVersion());
    } catch (error) {
      await hold.release().catch(() => {});
      throw error;
    }
    await hold.release();
    return result;
  }
}
