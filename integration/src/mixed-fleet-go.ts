import { randomUUID } from 'node:crypto';
import { createClient } from 'redis';

/**
 * The Go library's compare-and-set of `Get` (its setKeyLua, as ../shared/reference describes
 * it): the value replaces the lock only if the key still holds exactly our lock value; an
 * explicit 1, else 0.
 */
const CAS_SET =
  "if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3]) return 1 end return 0";
/** Its compare-and-delete (delKeyLua), run when the loader fails. */
const CAS_DELETE =
  "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0";

const ENVELOPE = '__redcache:v1:';

/** A RESP3 connection with client tracking on, its invalidation pushes emitted as `'invalidate'`. */
const trackingConnection = (url: string) => createClient({ url, RESP: 3, emitInvalidate: true });
type TrackingConnection = ReturnType<typeof trackingConnection>;

/** A stored string's payload, by the Go library's unwrap rules (a legacy value is its own payload). */
export function unwrapStored(stored: string): string {
  if (!stored.startsWith(ENVELOPE)) return stored;
  const rest = stored.slice(ENVELOPE.length);
  const colon = rest.indexOf(':');
  if (colon < 0) return stored;
  const delta = rest.slice(0, colon);
  if (!/^[+-]?\d+$/.test(delta) || delta.startsWith('-') || BigInt(delta) > 9223372036854775807n)
    return stored;
  return rest.slice(colon + 1);
}

/** What the played client tells its host as it goes. */
export interface GoEvents {
  /** `SET NX` found the key taken: this caller waits (for a push, a poll or lockTTL). */
  waiting(key: string): void;
  /** A wait ended, and why. */
  woke(key: string, reason: 'invalidation' | 'flush' | 'poll' | 'timeout'): void;
}

/** The Go library's defaults: lock prefix and lockTTL (10 s). */
export interface GoOptions {
  readonly lockPrefix?: string;
  readonly lockTTLMs?: number;
}

/**
 * A process of the Go library (v0.3's `Get`), played with raw commands on one RESP3
 * connection with client tracking on (`CLIENT TRACKING ON`, as rueidis's client-side cache
 * has it), its pushes the invalidations:
 *
 * 1. register a wait for the key, then read it (`GET`, tracked); a value (no lock prefix) is a hit;
 * 2. else lock it: `SET key <lockPrefix><uuid>:<n> NX PX <lockTTL>`;
 * 3. won: run the loader, then the compare-and-set of its envelope
 *    (`__redcache:v1:<delta_ns>:<payload>`) on the exact lock value; 0 (lost) reads again;
 *    a failed loader's lock is compare-and-deleted;
 * 4. refused: wait until a push for the key (or a flush), a jittered poll (`GET`) that finds a
 *    value, or lockTTL since the wait was registered; then read again.
 *
 * One caller per key at a time (no in-process single flight: the test asks each key once).
 * The lock value's token is a random UUID, not a v7: only uniqueness and the prefix matter.
 */
export class PlayedGoClient {
  readonly #client: TrackingConnection;
  readonly #lockPrefix: string;
  readonly #lockTTLMs: number;
  readonly #instance = randomUUID();
  readonly #events: GoEvents;
  readonly #wakers = new Map<string, Set<(reason: 'invalidation' | 'flush') => void>>();
  #counter = 0;

  private constructor(client: TrackingConnection, events: GoEvents, options: GoOptions) {
    this.#client = client;
    this.#events = events;
    this.#lockPrefix = options.lockPrefix ?? '__redcache:lock:';
    this.#lockTTLMs = options.lockTTLMs ?? 10_000;
    client.on('invalidate', (key: Buffer | string | null) => this.#invalidated(key));
  }

  /** Connects (tracking on) to `url`. */
  static async open(url: string, events: GoEvents, options: GoOptions = {}): Promise<PlayedGoClient> {
    const client = trackingConnection(url);
    client.on('error', () => {});
    await client.connect();
    return new PlayedGoClient(client, events, options);
  }

  async get(key: string, ttlMs: number, loader: (key: string) => Promise<string>): Promise<string> {
    for (;;) {
      const wait = this.#register(key);
      try {
        const stored = await this.#send(['GET', key]);
        if (stored !== null && !stored.startsWith(this.#lockPrefix)) return unwrapStored(stored);
        const lock = `${this.#lockPrefix}${this.#instance}:${++this.#counter}`;
        const taken = await this.#send(['SET', key, lock, 'NX', 'PX', String(this.#lockTTLMs)]);
        if (taken === 'OK') {
          const loaded = await this.#loadUnder(key, lock, ttlMs, loader);
          if (loaded !== undefined) return loaded;
          continue; // lock lost: read again
        }
        this.#events.waiting(key);
        const reason = await wait.until(() => this.#poll(key));
        this.#events.woke(key, reason);
      } finally {
        wait.dispose();
      }
    }
  }

  close(): Promise<void> {
    return this.#client.close();
  }

  async #loadUnder(
    key: string,
    lock: string,
    ttlMs: number,
    loader: (key: string) => Promise<string>,
  ): Promise<string | undefined> {
    const started = process.hrtime.bigint();
    let value: string;
    try {
      value = await loader(key);
    } catch (error) {
      await this.#send(['EVAL', CAS_DELETE, '1', key, lock]).catch(() => {});
      throw error;
    }
    const deltaNs = process.hrtime.bigint() - started;
    const envelope = `${ENVELOPE}${deltaNs}:${value}`;
    const set: unknown = await this.#client.sendCommand([
      'EVAL',
      CAS_SET,
      '1',
      key,
      lock,
      envelope,
      String(ttlMs),
    ]);
    if (set === 1) return value;
    if (set === 0 || set === null) return undefined;
    throw new Error(`compare-and-set of ${key}: unexpected reply ${JSON.stringify(set)}`);
  }

  /** A poll's read: true when the key holds a value (then the next read returns it). */
  async #poll(key: string): Promise<boolean> {
    const stored = await this.#send(['GET', key]);
    return stored !== null && !stored.startsWith(this.#lockPrefix);
  }

  async #send(args: string[]): Promise<string | null> {
    const reply = await this.#client.sendCommand(args);
    return reply === null ? null : String(reply);
  }

  #invalidated(key: Buffer | string | null): void {
    if (key === null) {
      for (const wakers of this.#wakers.values()) for (const wake of wakers) wake('flush');
      return;
    }
    for (const wake of this.#wakers.get(String(key)) ?? []) wake('invalidation');
  }

  /** A wait for `key`, registered before the read it follows, so no push slips between them. */
  #register(key: string): RegisteredWait {
    let woken: 'invalidation' | 'flush' | undefined;
    let onWake: ((reason: 'invalidation' | 'flush') => void) | undefined;
    const wake = (reason: 'invalidation' | 'flush') => {
      woken ??= reason;
      onWake?.(reason);
    };
    const wakers = this.#wakers.get(key) ?? new Set();
    this.#wakers.set(key, wakers);
    wakers.add(wake);
    const registeredAt = performance.now();
    return {
      until: (poll) =>
        new Promise((resolve, reject) => {
          if (woken !== undefined) return resolve(woken);
          const timers: NodeJS.Timeout[] = [];
          let done = false;
          const finish = (reason: 'invalidation' | 'flush' | 'poll' | 'timeout') => {
            if (done) return;
            done = true;
            for (const timer of timers) clearTimeout(timer);
            onWake = undefined;
            resolve(reason);
          };
          onWake = finish;
          timers.push(
            setTimeout(() => finish('timeout'), this.#lockTTLMs - (performance.now() - registeredAt)),
          );
          const schedulePoll = () => {
            if (done) return;
            timers.push(
              setTimeout(() => {
                poll().then((found) => (found ? finish('poll') : schedulePoll()), reject);
              }, this.#pollDelayMs()),
            );
          };
          schedulePoll();
        }),
      dispose: () => {
        wakers.delete(wake);
        if (wakers.size === 0 && this.#wakers.get(key) === wakers) this.#wakers.delete(key);
      },
    };
  }

  /** v0.3's jittered poll: uniform in [max/2, max), max = lockTTL/10 clamped to [25 ms, 1 s] (lockTTL/2 if that is not less). */
  #pollDelayMs(): number {
    let max = Math.min(1_000, Math.max(25, this.#lockTTLMs / 10));
    if (max >= this.#lockTTLMs) max = this.#lockTTLMs / 2;
    return max / 2 + Math.random() * (max / 2);
  }
}

interface RegisteredWait {
  /** Resolves with why the wait ended: at once if the key was invalidated since it was registered. */
  until(poll: () => Promise<boolean>): Promise<'invalidation' | 'flush' | 'poll' | 'timeout'>;
  dispose(): void;
}
