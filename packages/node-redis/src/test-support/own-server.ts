import type { Conn } from '@redcache/core';
import { type RedisServer, startRedisServer } from '@redcache/redis-harness';
import type { RedisClientType } from '@redis/client';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { connect } from '../connect.js';
import { plainClient } from './redis.js';

/** A test file's own throw-away server, its plain admin client, and the Conns its tests open. */
export interface OwnServer {
  readonly server: RedisServer;
  readonly admin: RedisClientType;
  /** Opens a Conn on the server (`connect`), closed after the test. */
  connect(): Promise<Conn>;
}

/**
 * Starts a redis-server of the file's own before its tests (so its configuration or stats
 * disturb no one) and stops it after them; `reset` runs after each test, before its Conns close.
 */
export function useOwnServer(reset?: (admin: RedisClientType) => Promise<unknown>): OwnServer {
  let server: RedisServer | undefined;
  let admin: RedisClientType | undefined;
  const opened: Conn[] = [];
  beforeAll(async () => {
    server = await startRedisServer();
    admin = await plainClient(server.url);
  });
  afterEach(async () => {
    if (admin !== undefined) await reset?.(admin);
    for (const conn of opened.splice(0)) await conn.close();
  });
  afterAll(async () => {
    await admin?.close();
    await server?.stop();
  });
  return {
    get server() {
      return server!;
    },
    get admin() {
      return admin!;
    },
    async connect() {
      const conn = await connect({ url: server!.url });
      opened.push(conn);
      return conn;
    },
  };
}
