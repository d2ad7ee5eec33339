import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Options } from '@redcache/core';
import type { WorkerEvent, WorkerReply, WorkerRequest } from './worker-protocol.js';

const workerPath = fileURLToPath(new URL('./worker.ts', import.meta.url));

export interface Worker {
  readonly process: ChildProcess;
  request(request: WorkerRequest): Promise<WorkerReply>;
  /** Resolves when the worker's loader starts for `key`. */
  loading(key: string): Promise<void>;
  kill(): void;
  close(): Promise<void>;
}

/** Forks a worker process (TypeScript through tsx) with its own Conn to `url`. */
export async function spawnWorker(
  url: string,
  options: Omit<Options, 'logger' | 'metrics'> = {},
): Promise<Worker> {
  const child = fork(workerPath, [url, JSON.stringify(options)], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const listeners = new Set<(event: WorkerEvent) => void>();
  child.on('message', (event: WorkerEvent) => {
    for (const listener of [...listeners]) listener(event);
  });
  const next = (match: (event: WorkerEvent) => boolean) =>
    new Promise<WorkerEvent>((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`worker ${child.pid} exited (${code})`));
      const listener = (event: WorkerEvent) => {
        if (event.type === 'error') {
          listeners.delete(listener);
          child.off('exit', onExit);
          reject(new Error(event.message));
        } else if (match(event)) {
          listeners.delete(listener);
          child.off('exit', onExit);
          resolve(event);
        }
      };
      listeners.add(listener);
      child.once('exit', onExit);
    });
  await next((e) => e.type === 'ready');
  return {
    process: child,
    async request(request) {
      const reply = next((e) => e.type === 'result' || e.type === 'done' || e.type === 'closed');
      child.send(request);
      return (await reply) as WorkerReply;
    },
    async loading(key) {
      await next((e) => e.type === 'loading' && e.key === key);
    },
    kill() {
      child.kill('SIGKILL');
    },
    async close() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.send({ type: 'close' });
      await exited;
    },
  };
}
