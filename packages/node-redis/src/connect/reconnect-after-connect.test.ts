import { startRedisServer } from '@redcache/redis-harness';
import type { RedisClientType } from '@redis/client';
import { describe, expect, it } from 'vitest';
import { connect } from '../connect.js';
import { recordingLogger } from '../test-support/recording-logger.js';
import { waitFor } from '../test-support/redis.js';

describe('once connected, the connect deadline no longer applies', () => {
  it('a server lost after connect is retried past connectTimeoutMs, by node-redis’s back-off, without connect’s warnings', async () => {
    const server = await startRedisServer();
    const logger = recordingLogger();
    const connectTimeoutMs = 200;
    const conn = await connect({ url: server.url }, { logger }, { connectTimeoutMs });
    const client = conn.client as RedisClientType;
    let reconnecting = 0;
    client.on('reconnecting', () => reconnecting++);
    try {
      await server.stop();
      const lostAt = Date.now();
      // Well past the connect deadline, the client still retries: it was not given up on.
      await waitFor(() => reconnecting >= 3 && Date.now() - lostAt > connectTimeoutMs * 2, 10_000);
      expect(client.isOpen).toBe(true);
      expect(logger.records.filter((record) => record.message.startsWith('redcache: connect '))).toEqual([]);
    } finally {
      await conn.close();
    }
    expect(client.isOpen).toBe(false);
  });
});
