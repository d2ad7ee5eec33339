import { Conn, type Driver, newStringCache, RedisCommandError, StringCodec } from '@redcache/core';
import { readOrLockScript } from '@redcache/core/wire';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMemoryRedis, type MemoryRedis } from '../memory/memory-redis.js';
import { withSend } from '../test-support/with-send.js';

// Errors name the caller's operation (issue 10, defect 16).

let server: MemoryRedis;
let conns: Conn[];

beforeEach(() => {
  server = createMemoryRedis();
  conns = [];
});
afterEach(async () => {
  await Promise.all(conns.map((conn) => conn.close()));
});

/** A view whose driver loses the connection on the first pipeline with a command `failing` matches. */
function openFailing(failing: (args: readonly unknown[]) => boolean) {
  const inner = server.connect();
  let failed = false;
  const driver: Driver = withSend(inner, (commands) => {
    if (!failed && commands.some((c) => failing(c.args))) {
      failed = true;
      return Promise.reject(new Error('connection lost'));
    }
    return inner.send(commands);
  });
  const conn = Conn.open(driver, { lockTTLMs: 1_000 });
  conns.push(conn);
  return newStringCache(conn, StringCodec);
}

// The lock attempt of a read is the read-or-lock script (it locks what it finds missing).
const isSetNx = (args: readonly unknown[]) =>
  (args[0] === 'EVAL' && args[1] === readOrLockScript.source) ||
  (args[0] === 'EVALSHA' && args[1] === readOrLockScript.sha1);
const isScript = (args: readonly unknown[]) => args[0] === 'EVAL' || args[0] === 'EVALSHA';

async function errorOf(call: Promise<unknown>): Promise<RedisCommandError> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RedisCommandError);
  return error as RedisCommandError;
}

describe("errors name the caller's operation", () => {
  it("defect 16: get whose lock attempt loses the connection fails with op 'get'", async () => {
    const cache = openFailing(isSetNx);
    const error = await errorOf(cache.get('k', 60_000, async () => 'v'));
    expect(error.op).toBe('get');
    expect(error.message).toMatch(/^redcache: get /);
  });

  it("defect 16: getMulti whose lock attempt loses the connection fails with op 'getMulti'", async () => {
    const cache = openFailing(isSetNx);
    const error = await errorOf(
      cache.getMulti(['a', 'b'], 60_000, async (keys) => new Map(keys.map((k) => [k, 'v']))),
    );
    expect(error.op).toBe('getMulti');
  });

  it("defect 16: set whose write lock loses the connection fails with op 'set'", async () => {
    const cache = openFailing(isScript);
    const error = await errorOf(cache.set('k', 60_000, async () => 'v'));
    expect(error.op).toBe('set');
    expect(error.message).toMatch(/^redcache: set /);
  });

  it("get whose read loses the connection fails with op 'get'", async () => {
    const cache = openFailing(isScript);
    const error = await errorOf(cache.get('k', 60_000, async () => 'v'));
    expect(error.op).toBe('get');
  });
});
