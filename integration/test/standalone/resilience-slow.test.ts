/**
 * A slow Redis (issue 11): a command that blocks the server for longer than commandTimeoutMs
 * and the liveness bound (`DEBUG SLEEP 3`), default options. Calls time out at
 * commandTimeoutMs, then (`breaker.timeouts` in a row) fail at once; the near cache is
 * dropped within the liveness bound; once the server answers again, everything recovers
 * (see resilience-partition.ts).
 */
import { type RedisServer, redisCommand, startRedisServer } from '@redcache/redis-harness';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyPrefix } from '../../src/open-conn.js';
import { checkSilentPartition } from '../../src/resilience-partition.js';

const prefix = keyPrefix('resilience-slow');
const SLEEP_S = 3;

describe('a Redis blocked by a slow command', () => {
  let server: RedisServer;
  beforeAll(async () => {
    server = await startRedisServer(['--enable-debug-command', 'yes']);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it(`DEBUG SLEEP ${SLEEP_S}: calls settle within commandTimeoutMs, the near cache is dropped within the liveness bound, then it recovers`, async () => {
    let sleeping: Promise<unknown> | undefined;
    await checkSilentPartition(
      {
        name: `Redis blocked (DEBUG SLEEP ${SLEEP_S})`,
        url: server.url,
        start: () => {
          sleeping = redisCommand(
            '127.0.0.1',
            server.port,
            ['DEBUG', 'SLEEP', String(SLEEP_S)],
            SLEEP_S * 1_000 + 5_000,
          );
        },
        end: async () => {
          expect(await sleeping).toBe('OK');
        },
      },
      prefix,
    );
  });
});
