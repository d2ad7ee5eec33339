import { type ChildProcess, spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { findOnPath } from './find-on-path.js';
import { freePort } from './free-port.js';
import { waitForPing } from './ping.js';

/** A throwaway `redis-server` child process, listening on 127.0.0.1 only. */
export interface RedisServer {
  readonly url: string;
  readonly port: number;
  readonly pid: number;
  /** Stops the server (SIGTERM, then SIGKILL after 5 s). Idempotent. */
  stop(): Promise<void>;
}

const HOST = '127.0.0.1';
const STARTUP_TIMEOUT_MS = 10_000;
const ATTEMPTS = 3;
const LOG_LIMIT = 4_096;

/** Extra `redis-server` arguments, or a function that makes them for the port chosen. */
export type RedisServerArgs =
  | readonly string[]
  | ((port: number) => readonly string[] | Promise<readonly string[]>);

/**
 * Starts a throwaway `redis-server` from PATH on a free port, with no persistence, and waits
 * until it answers PING. For fault tests that kill, flush or reconfigure the server.
 */
export async function startRedisServer(extraArgs: RedisServerArgs = []): Promise<RedisServer> {
  const executable = findOnPath('redis-server');
  if (executable === undefined) {
    throw new Error(
      'redis-server is not on PATH: install it (apt-get install redis-server, brew install redis)',
    );
  }
  let lastError: unknown;
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    try {
      const port = await freePort();
      const args = typeof extraArgs === 'function' ? await extraArgs(port) : extraArgs;
      return await startOnce(executable, port, args);
    } catch (error) {
      lastError = error; // most likely the port was taken in between: try another
    }
  }
  throw lastError;
}

/**
 * Starts a throwaway `redis-server` on `port`: the port a stopped one used, so clients that
 * knew it reconnect to this one (a restart, for fault tests). Fails if the port is taken.
 */
export async function startRedisServerOn(
  port: number,
  extraArgs: readonly string[] = [],
): Promise<RedisServer> {
  const executable = findOnPath('redis-server');
  if (executable === undefined) throw new Error('redis-server is not on PATH');
  return startOnce(executable, port, extraArgs);
}

async function startOnce(
  executable: string,
  port: number,
  extraArgs: readonly string[],
): Promise<RedisServer> {
  const args = ['--port', String(port), '--bind', HOST, '--save', '', '--appendonly', 'no', ...extraArgs];
  const child = spawn(executable, args, { cwd: tmpdir(), stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  const append = (chunk: Buffer) => {
    log = (log + chunk.toString('utf8')).slice(-LOG_LIMIT);
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  let spawnError: Error | undefined;
  child.once('error', (error) => {
    spawnError = error;
  });
  // A forgotten server must neither keep this process alive nor outlive it.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  unrefAll(child);

  const stop = once(async () => {
    process.off('exit', killOnExit);
    await terminate(child);
  });
  try {
    await waitForPing(HOST, port, STARTUP_TIMEOUT_MS, () => {
      if (spawnError !== undefined) return `redis-server failed to start: ${spawnError.message}`;
      if (child.exitCode !== null || child.signalCode !== null) {
        return `redis-server exited (${child.exitCode ?? child.signalCode}) on port ${port}:\n${log}`;
      }
      return undefined;
    });
  } catch (error) {
    await stop();
    throw error;
  }
  return { url: `redis://${HOST}:${port}`, port, pid: child.pid ?? 0, stop };
}

function unrefAll(child: ChildProcess): void {
  child.unref();
  for (const stream of [child.stdout, child.stderr]) {
    (stream as unknown as { unref?: () => void } | null)?.unref?.();
  }
}

async function terminate(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(true), 5_000);
  });
  const killed = await Promise.race([exited.then(() => false), timedOut]);
  clearTimeout(timer);
  if (killed) {
    child.kill('SIGKILL');
    await exited;
  }
}

function once(action: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | undefined;
  return () => {
    running ??= action();
    return running;
  };
}
