/**
 * The driver contract of @redcache/testing (the one the memory driver passes) against the
 * driver of the project, on a server or cluster of this file's own (the contract flushes it):
 * node-redis in both ways a node-redis client can report invalidations; ioredis once, through
 * this package's helpers, losing both connections of its pair (packages/ioredis runs the
 * contract itself, losing each one alone).
 */
import { driverContract } from '@redcache/testing/contract';
import { afterAll, beforeAll, inject } from 'vitest';
import { killConnections } from '../../src/kill-connections.js';
import { type OwnTarget, startOwnTarget } from '../../src/own-target.js';
import { redisDriverName } from '../../src/redis-driver.js';
import { isClusterTarget } from '../../src/redis-target.js';
import { type InvalidationMode, openTracking } from '../../src/tracking-client.js';

const like = inject('redisTarget');
let own: OwnTarget;
beforeAll(async () => {
  own = await startOwnTarget(like);
}, 60_000);
afterAll(async () => {
  await own?.stop();
});

const kind = isClusterTarget(like) ? 'cluster' : 'single server';
const driverName = redisDriverName();
const modes: readonly InvalidationMode[] =
  driverName === 'node-redis' ? ['emitInvalidate', 'clientSideCache'] : ['emitInvalidate'];

for (const mode of modes) {
  driverContract(`${driverName} driver on a ${kind}${modes.length > 1 ? ` (${mode})` : ''}`, async () => {
    const [mine, other] = await Promise.all([openTracking(own.target, mode), openTracking(own.target, mode)]);
    return {
      driver: mine.driver,
      other: other.driver,
      loseConnection: async () => {
        await killConnections(mine.tracking);
      },
      flushAll: () => own.flushAll(),
      cleanup: async () => {
        await Promise.all([mine.driver.close(), other.driver.close()]);
      },
    };
  });
}
