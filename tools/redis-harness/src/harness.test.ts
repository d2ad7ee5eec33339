import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { findOnPath } from './find-on-path.js';
import { freePort } from './free-port.js';
import { getRedis, NO_REDIS_MESSAGE } from './get-redis.js';
import { ping } from './ping.js';
import { type RedisServer, startRedisServer } from './start-redis-server.js';

function isListening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('freePort', () => {
  it('returns a port nothing listens on', async () => {
    const port = await freePort();
    expect(port).toBeGreaterThan(0);
    expect(await isListening(port)).toBe(false);
  });
});

describe('findOnPath', () => {
  it('finds executables and reports missing ones', () => {
    expect(findOnPath('node')).toMatch(/node$/);
    expect(findOnPath('definitely-not-a-command-redcache')).toBeUndefined();
  });
});

describe('startRedisServer', () => {
  let server: RedisServer | undefined;
  afterEach(async () => {
    await server?.stop();
    server = undefined;
  });

  it('starts a server that answers PING, and stop() closes its port and ends the process', async () => {
    server = await startRedisServer();
    expect(server.url).toBe(`redis://127.0.0.1:${server.port}`);
    expect(await ping('127.0.0.1', server.port)).toBe(true);
    expect(isAlive(server.pid)).toBe(true);
    await server.stop();
    await server.stop(); // idempotent
    expect(await isListening(server.port)).toBe(false);
    expect(await ping('127.0.0.1', server.port)).toBe(false);
    expect(isAlive(server.pid)).toBe(false);
  });

  it('passes extra arguments to redis-server', async () => {
    server = await startRedisServer(['--maxmemory', '12mb']);
    expect(await ping('127.0.0.1', server.port)).toBe(true);
  });

  it('fails with the server log when the arguments are bad', async () => {
    await expect(startRedisServer(['--no-such-option', 'x'])).rejects.toThrow(/redis-server exited/);
  });
});

describe('getRedis', () => {
  it('uses REDIS_URL when it is set, and does not stop it', async () => {
    const previous = process.env.REDIS_URL;
    process.env.REDIS_URL = 'redis://example.invalid:1';
    try {
      const redis = await getRedis();
      expect(redis.url).toBe('redis://example.invalid:1');
      await redis.stop();
    } finally {
      if (previous === undefined) delete process.env.REDIS_URL;
      else process.env.REDIS_URL = previous;
    }
  });

  it('otherwise starts a throwaway server from PATH', async () => {
    const previous = process.env.REDIS_URL;
    delete process.env.REDIS_URL;
    try {
      const redis = await getRedis();
      const port = Number(new URL(redis.url).port);
      expect(await ping('127.0.0.1', port)).toBe(true);
      await redis.stop();
      expect(await isListening(port)).toBe(false);
    } finally {
      if (previous !== undefined) process.env.REDIS_URL = previous;
    }
  });

  it('without REDIS_URL, redis-server or a container engine, says how to get a server', async () => {
    const previous = { url: process.env.REDIS_URL, path: process.env.PATH, docker: process.env.DOCKER_HOST };
    delete process.env.REDIS_URL;
    process.env.PATH = '';
    process.env.DOCKER_HOST = 'unix:///nonexistent/redcache-test-docker.sock';
    try {
      await expect(getRedis()).rejects.toThrow(NO_REDIS_MESSAGE);
    } finally {
      for (const [name, value] of [
        ['REDIS_URL', previous.url],
        ['PATH', previous.path],
        ['DOCKER_HOST', previous.docker],
      ] as const) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  }, 30_000);
});
