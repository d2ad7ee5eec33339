import diagnostics from 'node:diagnostics_channel';
import { fileURLToPath } from 'node:url';
import { ConnectError, InvalidOptionsError, type Options } from '@redcache/core';
import { freePort, type RedisServer, startRedisServer } from '@redcache/redis-harness';
import type { RedisClientOptions, RedisClusterOptions } from '@redis/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../connect.js';
import { recordingLogger } from '../test-support/recording-logger.js';
import { plainClient } from '../test-support/redis.js';
import { runChild } from '../test-support/run-child.js';
import { type StandInServer, startStandInServer } from '../test-support/stand-in-server.js';

const TIMEOUT_MS = 500;
// A liveness bound, not a speed claim: the figure itself is printed for the closing note.
const LIVENESS_BOUND_MS = TIMEOUT_MS + 2_000;
const packageDirectory = fileURLToPath(new URL('../..', import.meta.url));

/** Connects, expecting a ConnectError; returns it with the time it took and what was logged. */
async function failedConnect(
  label: string,
  options: RedisClientOptions | RedisClusterOptions | { url: string },
  redcache: Options = {},
) {
  const logger = recordingLogger();
  const started = performance.now();
  const outcome = await connect(options, { ...redcache, logger }, { connectTimeoutMs: TIMEOUT_MS }).then(
    async (conn) => {
      await conn.close();
      return 'connected';
    },
    (error: unknown) => error,
  );
  const elapsedMs = Math.round(performance.now() - started);
  console.log(
    `connect fails fast: ${label}: rejected after ${elapsedMs} ms (connectTimeoutMs ${TIMEOUT_MS}): ${String(outcome)}`,
  );
  expect(outcome).toBeInstanceOf(ConnectError);
  const error = outcome as ConnectError;
  expect(error.code).toBe('E_CONNECT');
  expect(elapsedMs).toBeLessThan(LIVENESS_BOUND_MS);
  const warnings = logger.records.filter((record) => record.level === 'warn');
  return { error, elapsedMs, warnings };
}

describe('connect fails fast and says why', () => {
  let closedPort: number;
  let helloError: StandInServer;
  let oldRedis: StandInServer;
  let garbage: StandInServer;
  let silent: StandInServer;
  let hangUp: StandInServer;
  let guarded: RedisServer;

  beforeAll(async () => {
    closedPort = await freePort();
    helloError = await startStandInServer({ error: 'ERR unknown command HELLO' });
    oldRedis = await startStandInServer({ version: '6.2.0' });
    garbage = await startStandInServer('garbage');
    silent = await startStandInServer('silent');
    hangUp = await startStandInServer('hang-up');
    // The harness waits for PONG, so the password is set once the server answers.
    guarded = await startRedisServer();
    const admin = await plainClient(guarded.url);
    await admin.configSet('requirepass', 'secret');
    await admin.close();
  });
  afterAll(async () => {
    await Promise.all(
      [helloError, oldRedis, garbage, silent, hangUp, guarded].map((server) => server?.stop()),
    );
  });

  it('a closed port: refused, naming the address; each retry logged at warn with the address and the cause', async () => {
    const address = `127.0.0.1:${closedPort}`;
    const { error, warnings } = await failedConnect('closed port', { url: `redis://${address}` });
    expect(error.reason).toBe('refused');
    expect(error.address).toBe(address);
    expect(error.message).toContain(address);
    expect(error.message).toContain('connection refused');
    expect(error.message).toContain(`connectTimeoutMs ${TIMEOUT_MS} ms`);
    expect((error.cause as { code?: string }).code).toBe('ECONNREFUSED');
    expect(warnings.length).toBeGreaterThan(0);
    for (const warning of warnings) {
      expect(warning.message).toContain(address);
      expect(warning.message).toContain('connection refused');
      expect(warning.message).toMatch(/retrying in \d+ ms/);
    }
  });

  it('a server that answers HELLO 3 with an error reply: protocol', async () => {
    const { error, warnings } = await failedConnect('HELLO error reply', { url: helloError.url });
    expect(error.reason).toBe('protocol');
    expect(error.message).toContain(helloError.address);
    expect(error.message).toContain('does not answer HELLO 3');
    expect(error.message).toContain('ERR unknown command HELLO');
    expect(warnings.length).toBeGreaterThan(0);
    expect(helloError.commands).toContain('HELLO');
  });

  it('a wrong password, and none: auth (WRONGPASS, NOAUTH)', async () => {
    const address = `127.0.0.1:${guarded.port}`;
    const wrong = await failedConnect('wrong password', { url: `redis://:wrong@${address}` });
    expect(wrong.error.reason).toBe('auth');
    expect(wrong.error.message).toContain(address);
    expect(wrong.error.message).toContain('authentication failed');
    expect(wrong.error.message).toContain('WRONGPASS');
    expect(wrong.error.message).not.toContain('wrong@');
    const none = await failedConnect('no password', { url: `redis://${address}` });
    expect(none.error.reason).toBe('auth');
    expect(none.error.message).toContain('NOAUTH');
  });

  it('a host name that does not resolve: dns; TLS to a server that answers in plain text: tls', async () => {
    const dns = await failedConnect('unknown host', { url: 'redis://no-such-host.invalid:6379' });
    expect(dns.error.reason).toBe('dns');
    expect(dns.error.message).toContain('no-such-host.invalid:6379');
    expect(dns.error.message).toContain('DNS lookup failed');
    const port = Number(garbage.address.split(':')[1]);
    const tls = await failedConnect('TLS to plain text', {
      socket: { host: '127.0.0.1', port, tls: true, rejectUnauthorized: false },
    });
    expect(tls.error.reason).toBe('tls');
    expect(tls.error.message).toContain(garbage.address);
    expect(tls.error.message).toContain('TLS handshake failed');
  });

  it('a Redis older than 7.0, read from HELLO: version, at the first try', async () => {
    const { error, warnings } = await failedConnect('Redis 6.2.0', { url: oldRedis.url });
    expect(error.reason).toBe('version');
    expect(error.message).toContain(oldRedis.address);
    expect(error.message).toContain('Redis 6.2.0 is older than 7.0');
    expect(warnings).toEqual([]);
  });

  it('a server whose reply is not RESP: protocol; one that never replies: timeout', async () => {
    const notResp = await failedConnect('not RESP', { url: garbage.url });
    expect(notResp.error.reason).toBe('protocol');
    expect(notResp.error.message).toContain('not RESP');
    const mute = await failedConnect('no reply', { url: silent.url });
    expect(mute.error.reason).toBe('timeout');
    expect(mute.error.message).toContain(silent.address);
    expect(mute.error.message).toContain(`not connected within connectTimeoutMs ${TIMEOUT_MS} ms`);
  });

  it('a server that closes the connection at once: closed', async () => {
    const { error } = await failedConnect('hang-up', { url: hangUp.url });
    expect(error.reason).toBe('closed');
    expect(error.message).toContain(hangUp.address);
    expect(error.message).toContain('the server closed the connection');
  });

  it('with your reconnectStrategy: false, the first failure rejects with the ConnectError, no retry logged', async () => {
    const refused = await failedConnect('closed port, no retries', {
      url: `redis://127.0.0.1:${closedPort}`,
      socket: { reconnectStrategy: false },
    });
    expect(refused.error.reason).toBe('refused');
    expect(refused.error.message).not.toContain('connectTimeoutMs');
    expect(refused.warnings).toEqual([]);
    const hello = await failedConnect('HELLO error, no retries', {
      url: helloError.url,
      socket: { reconnectStrategy: false },
    });
    expect(hello.error.reason).toBe('protocol');
    expect(hello.warnings).toEqual([]);
  });

  it('a cluster whose root nodes are closed ports: refused, naming every root node', async () => {
    const other = await freePort();
    const { error, warnings } = await failedConnect('cluster, closed ports', {
      rootNodes: [{ url: `redis://127.0.0.1:${closedPort}` }, { socket: { host: '127.0.0.1', port: other } }],
    });
    expect(error.reason).toBe('refused');
    expect(error.address).toBe(`127.0.0.1:${closedPort}, 127.0.0.1:${other}`);
    expect(error.message).toContain(`127.0.0.1:${closedPort}, 127.0.0.1:${other}`);
    expect(warnings.length).toBeGreaterThan(0);
  });

  it('an invalid connectTimeoutMs throws InvalidOptionsError naming it, before any socket', async () => {
    let sockets = 0;
    const countSockets = () => sockets++;
    const channel = diagnostics.channel('net.client.socket');
    channel.subscribe(countSockets);
    try {
      for (const connectTimeoutMs of [0, -1, 1.5, Number.NaN, '500' as unknown as number]) {
        const error = await connect(
          { url: `redis://127.0.0.1:${closedPort}` },
          {},
          { connectTimeoutMs },
        ).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(InvalidOptionsError);
        expect((error as Error).message).toContain('connectTimeoutMs');
      }
      expect(sockets).toBe(0);
    } finally {
      channel.unsubscribe(countSockets);
    }
  });

  it('after the rejection nothing is left: a process that fails to connect exits by itself', async () => {
    const urls = [`redis://127.0.0.1:${closedPort}`, helloError.url, silent.url, garbage.url, oldRedis.url];
    const cluster = `cluster:redis://127.0.0.1:${closedPort}`;
    const { output, code } = await runChild(
      ['--import', 'tsx', 'src/test-support/connect-fails-child.ts', String(TIMEOUT_MS), ...urls, cluster],
      packageDirectory,
    );
    console.log(`connect fails fast: child: ${output.trim().replaceAll('\n', ' | ')}`);
    expect(output).toContain(`redis://127.0.0.1:${closedPort} E_CONNECT refused`);
    expect(output).toContain(`${helloError.url} E_CONNECT protocol`);
    expect(output).toContain(`${silent.url} E_CONNECT timeout`);
    expect(output).toContain(`${garbage.url} E_CONNECT protocol`);
    expect(output).toContain(`${oldRedis.url} E_CONNECT version`);
    expect(output).toContain(`${cluster} E_CONNECT refused`);
    expect(code).toBe(0);
  }, 20_000);
});
