import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { StampedeRequest, StampedeResult, WorkerEvent } from './stampede-protocol.js';

const workerPath = fileURLToPath(new URL('./stampede-worker.ts', import.meta.url));

export interface StampedeWorker {
  readonly pid: number;
  stampede(request: StampedeRequest): Promise<StampedeResult>;
  close(): Promise<void>;
}

/** Forks a stampede worker (TypeScript through tsx) with its own Conn to `url`; resolves once it is ready. */
export async function spawnStampedeWorker(url: string): Promise<StampedeWorker> {
  const child = fork(workerPath, [url], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  await nextEvent(child, 'ready');
  return {
    pid: child.pid ?? 0,
    async stampede(request) {
      const reply = nextEvent(child, 'result');
      child.send(request);
      return (await reply) as StampedeResult;
    },
    async close() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.send({ type: 'close' });
      await exited;
    },
  };
}

/** The next event of `type` from the child; rejects on an 'error' event or if the child exits. */
function nextEvent(child: ChildProcess, type: WorkerEvent['type']): Promise<WorkerEvent> {
  return new Promise((resolve, reject) => {
    const cleanup = () => {
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    const onExit = (code: number | null) => {
      cleanup();
      reject(new Error(`stampede worker ${child.pid} exited (${code}) before '${type}'`));
    };
    const onMessage = (event: WorkerEvent) => {
      if (event.type !== type && event.type !== 'error') return;
      cleanup();
      if (event.type === 'error') reject(new Error(`stampede worker ${child.pid}: ${event.message}`));
      else resolve(event);
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}
