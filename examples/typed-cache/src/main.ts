/**
 * `pnpm start`: a cache typed at both ends, against a real Redis. Keys are `UserId`s (a branded
 * string) turned into Redis keys by a key codec; values are `User`s, validated by a zod schema
 * on the way in and on the way out. See ../README.md.
 */
import assert from 'node:assert/strict';
import { BatchKeyError, DecodeError, keyCodecFunc, newCache, schemaCodec } from '@redcache/core';
import { connect } from '@redcache/node-redis';
import { findRedis, uniqueKeyPrefix } from '@redcache/redis-harness';
import { createClient } from 'redis';
import { database, type User, UserId, UserSchema } from './user.js';

const TTL_MS = 60_000;

const redis = await findRedis();
const prefix = uniqueKeyPrefix('redcache-example:typed-cache');
console.log(`Redis at ${redis.url} (${redis.source}), keys under ${prefix}\n`);

const conn = await connect({ url: redis.url });
const userKey = (id: UserId) => `${prefix}user:${id}`;
const users = newCache(conn, keyCodecFunc(userKey), schemaCodec(UserSchema));
/** Another client of the same Redis, one that does not go through redcache. */
const other = createClient({ url: redis.url });
await other.connect();

/** The loader: typed by the cache, it gets a UserId and must return a User. */
async function loadUser(id: UserId): Promise<User> {
  const user = database.get(id);
  if (user === undefined) throw new Error(`no user ${id}`);
  return user;
}

const [u1, u2, u3, u4] = [UserId.parse('u-1'), UserId.parse('u-2'), UserId.parse('u-3'), UserId.parse('u-4')];

try {
  console.log('1. get(u-1): the key codec makes the Redis key, the schema checks the value');
  const ada = await users.get(u1, TTL_MS, loadUser);
  console.log(`   ${userKey(u1)} -> ${JSON.stringify(ada)}`);
  console.log(
    `   typed as User: ada.plan is 'free' | 'pro', ada.id a UserId; users.get('u-1', …) does not compile\n`,
  );

  console.log('2. another client writes u-2 by hand, in the wrong shape');
  await other.set(userKey(u2), JSON.stringify({ id: 'u-2', name: 'Grace', email: 42 }), { PX: TTL_MS });
  try {
    await users.get(u2, TTL_MS, async () =>
      assert.fail('a stored value, even a bad one, is not loaded over'),
    );
    assert.fail('a value that fails the schema should not decode');
  } catch (error) {
    if (!(error instanceof DecodeError)) throw error;
    console.log(`   get(u-2) rejects: ${error.name} (${error.code}), key ${JSON.stringify(error.key)}`);
    console.log(`   ${error.message}`);
    assert.equal(error.key, u2);
  }
  await users.del(u2);
  console.log(`   after del(u-2), get loads a good one: ${(await users.get(u2, TTL_MS, loadUser)).name}\n`);

  console.log('3. setMulti([u-3, u-4]) with a loader that returns only u-3');
  try {
    await users.setMulti([u3, u4], TTL_MS, async (ids) => {
      console.log(`   loader asked for ${ids.join(', ')}, returns u-3 only`);
      return new Map([[u3, await loadUser(u3)]]);
    });
    assert.fail('an omitted key should fail the batch');
  } catch (error) {
    if (!(error instanceof BatchKeyError)) throw error;
    console.log(`   ${error.name} (${error.code}): written ${JSON.stringify(error.succeeded)}`);
    for (const [id, cause] of error.failed) console.log(`   failed ${id}: ${cause.name}: ${cause.message}`);
    assert.deepEqual(error.succeeded, [u3]);
    assert.ok(error.hasError(u4));
  }
  console.log(`   peek(u-3) found: ${(await users.peek(u3, TTL_MS)).found}`);
  console.log(`   peek(u-4) found: ${(await users.peek(u4, TTL_MS)).found} (nothing written for it)`);
} finally {
  await users.delMulti([u1, u2, u3, u4]);
  await Promise.all([conn.close(), other.close()]);
  await redis.stop();
  console.log('\nCleaned up: keys deleted, connections closed.');
}
