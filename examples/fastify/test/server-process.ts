import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('../src/main.ts', import.meta.url));

export interface ServerOptions {
  readonly redisUrl: string;
  readonly keyPrefix: string;
  readonly loaderMs: number;
}

export interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** One server process (src/main.ts through tsx), on a free port. */
export interface Server {
  readonly pid: number;
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** Every line it has printed so far (stdout and stderr). */
  lines(): string[];
  /** The next line it prints that `match` accepts (lines already printed are not seen). */
  nextLine(match: (line: string) => boolean): Promise<string>;
  /** Sends `signal` and waits for the process to exit (and its output to be read). */
  stop(signal: NodeJS.Signals): Promise<Exit>;
  /** SIGKILL if still running (cleanup after a failed test). */
  kill(): void;
}

/** Starts a server and resolves once it prints that it is listening; rejects if it exits first. */
export async function startServer(options: ServerOptions): Promise<Server> {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
    env: {
      ...process.env,
      REDIS_URL: options.redisUrl,
      PORT: '0',
      KEY_PREFIX: options.keyPrefix,
      LOADER_MS: String(options.loaderMs),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const printed: string[] = [];
  const watchers = new Set<(line: string) => void>();
  // 'close', not 'exit': by then everything the process printed has been read.
  const exited = new Promise<Exit>((resolve) =>
    child.once('close', (code, signal) => resolve({ code, signal })),
  );
  for (const stream of [child.stdout, child.stderr]) {
    let partial = '';
    stream.setEncoding('utf8').on('data', (chunk: string) => {
      const parts = (partial + chunk).split('\n');
      partial = parts.pop() ?? '';
      for (const line of parts) {
        printed.push(line);
        for (const watcher of [...watchers]) watcher(line);
      }
    });
  }
  const nextLine = (match: (line: string) => boolean) =>
    new Promise<string>((resolve, reject) => {
      const watcher = (line: string) => {
        if (!match(line)) return;
        watchers.delete(watcher);
        resolve(line);
      };
      watchers.add(watcher);
      void exited.then((exit) => {
        watchers.delete(watcher);
        reject(new Error(`server exited (${exit.code ?? exit.signal}):\n${printed.join('\n')}`));
      });
    });
  const listening = await nextLine((line) => line.includes('listening on '));
  return {
    pid: child.pid ?? 0,
    url: listening.slice(listening.indexOf('listening on ') + 'listening on '.length),
    lines: () => [...printed],
    nextLine,
    stop: (signal) => {
      kill(child, signal);
      return exited;
    },
    kill: () => kill(child, 'SIGKILL'),
  };
}

function kill(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.exitCode === null && child.signalCode === null) child.kill(signal);
}
