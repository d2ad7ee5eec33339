import { wallClockMs } from '@redcache/fleet';
import { createClient } from 'redis';
import { flatKey, PEER_TTL_MS, type PeerLoad, type PeerOptions } from './peer.js';

/** Reads the key; when it is missing, takes the lock in the same step. The reply: the value, the lock, or nil (you lead). */
const READ_OR_LOCK = `local v = redis.call('GET', KEYS[1])
if v then return v end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2], 'NX')
return false`;
/** Writes the value if the lock is still ours, and (given a channel) publishes it there. */
const CAS_PUBLISH = `if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
if ARGV[4] ~= '' then redis.call('PUBLISH', ARGV[4], ARGV[2]) end
return 1`;
const LOCK = 'lock:';

/**
 * How a follower is woken: by the tracking push of the value's write, then one `GET`
 * ('push'); or by the value itself, published by the filling CAS on a per-key channel it
 * subscribed to for its wait, pipelined with its read ('pubsub'; the push stays the fallback).
 */
export type WakeMode = 'push' | 'pubsub';

/** One follower's wake, in this process. */
export interface FollowerWake {
  readonly key: string;
  /** Wall-clock ms the tracking push for the key arrived (null: woken by the message first). */
  readonly pushAt: number | null;
  /** The GET after the push, ms (null: none). */
  readonly getMs: number | null;
  /** Wall-clock ms the value was in hand. */
  readonly wokeAt: number;
  readonly by: 'push' | 'message';
}

export interface RawWakeClient {
  readonly name: string;
  key(name: string): string;
  /** The key's value; in this process one flight per key (callers coalesce), across processes one loader. */
  get(key: string, load: PeerLoad): Promise<unknown>;
  /** The follower wakes since the last call. */
  takeWakes(): FollowerWake[];
  close(): Promise<void>;
}

/**
 * The stampede's wake protocol on raw node-redis (RESP3, `CLIENT TRACKING ON`, one
 * connection per process), no engine around it: the prototype of issue 12's "wake without
 * the re-read", and the floor of target 6 (a push, then one round trip).
 */
export async function openRawWake(options: PeerOptions, mode: WakeMode): Promise<RawWakeClient> {
  const client = createClient({ url: options.url, RESP: 3, emitInvalidate: true });
  await client.connect();
  await client.sendCommand(['CLIENT', 'TRACKING', 'ON']);
  const readSha = await client.scriptLoad(READ_OR_LOCK);
  const casSha = await client.scriptLoad(CAS_PUBLISH);
  const pushWaiters = new Map<string, (at: number) => void>();
  client.on('invalidate', (key: Buffer | null) => {
    if (key === null) return;
    const name = key.toString();
    const waiter = pushWaiters.get(name);
    if (waiter === undefined) return;
    pushWaiters.delete(name);
    waiter(wallClockMs());
  });
  const nextPush = (key: string) => new Promise<number>((resolve) => pushWaiters.set(key, resolve));
  const flights = new Map<string, Promise<unknown>>();
  let wakes: FollowerWake[] = [];
  let tokens = 0;

  /**
   * Woken by the push, then GET; again if the value is still a lock (a push for something
   * else). Gives up (never settles) once `settled()`: the published value came first.
   */
  async function byPush(
    key: string,
    pushed: Promise<number>,
    settled: () => boolean,
  ): Promise<FollowerWake & { value: string }> {
    for (;;) {
      const pushAt = await pushed;
      if (settled()) return new Promise(() => {});
      pushed = nextPush(key);
      const started = performance.now();
      const value = await client.get(key);
      const getMs = performance.now() - started;
      if (value !== null && !value.startsWith(LOCK)) {
        pushWaiters.delete(key);
        return { key, pushAt, getMs, wokeAt: wallClockMs(), by: 'push', value };
      }
    }
  }

  async function flight(key: string, load: PeerLoad): Promise<unknown> {
    const token = `${LOCK}${process.pid}:${tokens++}`;
    const channel = `${key}:filled`;
    let message: Promise<FollowerWake & { value: string }> | undefined;
    let subscribed: Promise<void> | undefined;
    if (mode === 'pubsub') {
      message = new Promise((resolve) => {
        subscribed = client.subscribe(channel, (value) =>
          resolve({ key, pushAt: null, getMs: null, wokeAt: wallClockMs(), by: 'message', value }),
        );
      });
    }
    // Waiting for the push before the read is sent: the push may come in the reply's chunk.
    const pushed = nextPush(key);
    try {
      const found = await client.evalSha(readSha, { keys: [key], arguments: [token, '5000'] });
      if (typeof found === 'string' && !found.startsWith(LOCK)) return found;
      if (found === null) {
        const value = String(await load());
        await client.evalSha(casSha, {
          keys: [key],
          arguments: [token, value, String(PEER_TTL_MS), message === undefined ? '' : channel],
        });
        return value;
      }
      let settled = false;
      const woken = await (message === undefined
        ? byPush(key, pushed, () => false)
        : Promise.race([
            message.then((m) => {
              settled = true;
              return m;
            }),
            byPush(key, pushed, () => settled),
          ]));
      wakes.push(woken);
      return woken.value;
    } finally {
      pushWaiters.delete(key);
      // Off the caller's path: its value is in hand (the engine would not await it either).
      if (subscribed !== undefined) void subscribed.then(() => client.unsubscribe(channel)).catch(() => {});
    }
  }

  return {
    name: `raw-${mode}`,
    key: (name) => flatKey(options.prefix, name),
    get(key, load) {
      let running = flights.get(key);
      if (running === undefined) {
        running = flight(key, load).finally(() => flights.delete(key));
        flights.set(key, running);
      }
      return running;
    },
    takeWakes() {
      const taken = wakes;
      wakes = [];
      return taken;
    },
    close: () => client.close(),
  };
}
