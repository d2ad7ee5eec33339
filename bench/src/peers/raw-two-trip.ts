import { createClient } from 'redis';
import { flatKey, PEER_TTL_MS, type PeerCache, type PeerOptions } from './peer.js';

/** Reads the key; when it is missing, takes the lock in the same step (nil: you load). */
const READ_OR_LOCK = `local v = redis.call('GET', KEYS[1])
if v then return v end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2], 'NX')
return false`;
/** Writes the value if the lock is still ours. */
const CAS = `if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
end
return 0`;

/**
 * The two-round-trip miss protocol on raw node-redis, no engine around it: one script that
 * reads or locks, the loader, one compare-and-set script. The yardstick of target 1. (It
 * does not wait on a lock someone else holds: the bench never contends it.)
 */
export async function openRawTwoTrip(options: PeerOptions): Promise<PeerCache> {
  const client = createClient({ url: options.url });
  await client.connect();
  const readSha = await client.scriptLoad(READ_OR_LOCK);
  const casSha = await client.scriptLoad(CAS);
  let tokens = 0;
  const get = async (key: string, load: () => Promise<unknown>) => {
    const token = `lock:${process.pid}:${tokens++}`;
    const found = await client.evalSha(readSha, { keys: [key], arguments: [token, '5000'] });
    if (typeof found === 'string') return found;
    const value = String(await load());
    await client.evalSha(casSha, { keys: [key], arguments: [token, value, String(PEER_TTL_MS)] });
    return value;
  };
  return {
    name: 'raw 2-RTT protocol (node-redis)',
    manyHow: 'Promise.all of gets',
    key: (name) => flatKey(options.prefix, name),
    get,
    getMany: (keys, load) => Promise.all(keys.map((key) => get(key, () => load(key)))),
    set: (key, value) => client.set(key, String(value), { PX: PEER_TTL_MS }),
    close: () => client.close(),
  };
}
