import type { ChildProcess } from 'node:child_process';
import type { Options } from '@redcache/core';
import { forkChild } from '@redcache/fleet';
import type { WorkerChannel, WorkerReply, WorkerRequest } from './worker-protocol.js';

const workerModule = new URL('./worker.ts', import.meta.url);

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
  const child = await forkChild<WorkerChannel>(workerModule, [url, JSON.stringify(options)]);
  return {
    process: child.process,
    request: (request) => child.request(request),
    async loading(key) {
      await child.nextEvent((event) => event.key === key);
    },
    kill: () => child.kill(),
    close: () => child.close(),
  };
}
