import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { KeyOutcome, StampedeRequest, WorkerEvent } from './protocol.js';

const workerPath = fileURLToPath(new URL('./worker.ts', import.meta.url));

export interface Worker {
  readonly pid: number;
  stampede(request: StampedeRequest): Promise<KeyOutcome[]>;
  /** Asks the worker to close its Conn and exit; kills it if it has not within 5 s. */
  close(): Promise<void>;
  kill(): void;
}

/** Forks a worker process (TypeScript through tsx) with its own Conn to `url`; resolves once it is ready. */
export async function spawnWorker(url: string): Promise<Worker> {
  const child = fork(workerPath, [url], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  try {
    await nextEvent(child, 'ready');
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  const exited = () => child.exitCode !== null || child.signalCode !== null;
  return {
    pid: child.pid ?? 0,
    async stampede(request) {
      const reply = nextEvent(child, 'result');
      child.send(request);
      const event = await reply;
      return event.type === 'result' ? event.outcomes : [];
    },
    async close() {
      if (exited()) return;
      const gone = new Promise((resolve) => child.once('exit', resolve));
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      child.send({ type: 'close' });
      await gone;
      clearTimeout(timer);
    },
    kill() {
      if (!exited()) child.kill('SIGKILL');
    },
  };
}

/** The next event of `type` from the child; rejects on an 'error' event or when the child exits. */
function nextEvent(child: ChildProcess, type: WorkerEvent['type']): Promise<WorkerEvent> {
  return new Promise((resolve, reject) => {
    const cleanup = () => {
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    const onExit = (code: number | null) => {
      cleanup();
      reject(new Error(`worker ${child.pid} exited (${code}) before '${type}'`));
    };
    const onMessage = (event: WorkerEvent) => {
      if (event.type !== type && event.type !== 'error') return;
      cleanup();
      if (event.type === 'error') reject(new Error(`worker ${child.pid}: ${event.message}`));
      else resolve(event);
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}
