/**
 * A silent partition longer than the liveness bound (issue 11, acceptance 7), default
 * options: Redis frozen with SIGSTOP, and a TCP proxy that stops forwarding. No near cache
 * serves a value as fresh past the liveness bound, every call settles within
 * commandTimeoutMs, and after SIGCONT, or once the proxy forwards again, everything recovers
 * (see resilience-partition.ts).
 */
import { type RedisServer, startRedisServer, startTcpProxy, type TcpProxy } from '@redcache/redis-harness';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { keyPrefix } from '../../src/open-conn.js';
import { checkSilentPartition } from '../../src/resilience-partition.js';

const prefix = keyPrefix('resilience-frozen');

describe('a silent partition longer than the liveness bound', () => {
  let server: RedisServer;
  let proxy: TcpProxy;
  beforeAll(async () => {
    server = await startRedisServer();
    proxy = await startTcpProxy({ host: '127.0.0.1', port: server.port });
  });
  afterAll(async () => {
    await proxy?.close();
    await server?.stop();
  });

  it('Redis frozen (SIGSTOP): the near cache is dropped within the liveness bound, calls settle within commandTimeoutMs, SIGCONT recovers', async () => {
    await checkSilentPartition(
      {
        name: 'Redis frozen (SIGSTOP)',
        url: server.url,
        start: () => {
          process.kill(server.pid, 'SIGSTOP');
        },
        end: () => {
          process.kill(server.pid, 'SIGCONT');
        },
      },
      `${prefix}sigstop:`,
    );
  });

  it('a proxy that stops forwarding: the same, and forwarding again recovers', async () => {
    await checkSilentPartition(
      {
        name: 'proxy not forwarding',
        url: proxy.url,
        start: () => proxy.stopForwarding(),
        end: () => proxy.forward(),
      },
      `${prefix}proxy:`,
    );
  });
});
