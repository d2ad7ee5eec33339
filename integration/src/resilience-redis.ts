import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { ping } from '@redcache/redis-harness';
import { pollUntil } from './poll-until.js';

/** A `redis-server` this file started on a port of its choosing: killed, and started again, by the test. */
export interface OwnRedis {
  readonly port: number;
  readonly pid: number;
  /** SIGKILL, then waits until nothing answers on the port. */
  kill(): Promise<void>;
}

/**
 * Starts an empty `redis-server` (no persistence) on `port` — the port a killed one used, so
 * the clients that knew it reconnect to it — and waits until it answers PING. The process is
 * killed when this one exits.
 */
export async function startRedisOn(port: number): Promise<OwnRedis> {
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { cwd: tmpdir(), stdio: 'ignore' },
  );
  child.unref();
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  await pollUntil(`redis-server on ${port} answers`, () => ping('127.0.0.1', port), { timeoutMs: 10_000 });
  return {
    port,
    pid: child.pid ?? 0,
    async kill() {
      process.off('exit', killOnExit);
      child.kill('SIGKILL');
      await pollUntil(`redis-server on ${port} is gone`, async () => !(await ping('127.0.0.1', port, 200)));
    },
  };
}

/** SIGKILLs the process `pid` and waits until nothing answers on `port`. */
export async function killRedis(pid: number, port: number): Promise<void> {
  process.kill(pid, 'SIGKILL');
  await pollUntil(`redis-server on ${port} is gone`, async () => !(await ping('127.0.0.1', port, 200)));
}
