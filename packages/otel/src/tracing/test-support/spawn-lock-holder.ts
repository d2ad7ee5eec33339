import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** What the lock holder tells the parent. */
export type FromHolder = { type: 'loading' } | { type: 'done'; value: string };
/** What the parent tells the lock holder. */
export type ToHolder = { type: 'release' };

/** Another process whose loader of one key holds that key's lock until released. */
export interface LockHolder {
  /** Resolves once its loader runs: it holds the key's lock. */
  readonly loading: Promise<void>;
  /** Resolves with what its read returned, once it settled. */
  readonly done: Promise<string>;
  /** Lets its loader return `value` (the read then stores it, and the lock is released). */
  release(): void;
  /** SIGKILL, if it is still running. */
  kill(): void;
}

const childModule = fileURLToPath(new URL('./lock-holder-child.ts', import.meta.url));

/**
 * Forks a process (TypeScript through tsx) with its own Conn to `url`, which reads `key` and
 * loads `value` for it, holding the lock until `release()`.
 *
 * @param url - the Redis server's URL
 * @param key - the key it reads (as the parent's view spells it: both use the default key codec)
 * @param value - what its loader returns
 * @returns the process's handle
 */
export function spawnLockHolder(url: string, key: string, value: string): LockHolder {
  const child: ChildProcess = fork(childModule, [url, key, value], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<never>((_, reject) => {
    child.once('exit', (code, signal) => reject(new Error(`lock holder exited (${code ?? signal})`)));
  });
  exited.catch(() => {});
  const next = <T extends FromHolder['type']>(type: T) =>
    Promise.race([
      new Promise<Extract<FromHolder, { type: T }>>((resolve) => {
        const take = (message: FromHolder) => {
          if (message.type !== type) return;
          child.off('message', take);
          resolve(message as Extract<FromHolder, { type: T }>);
        };
        child.on('message', take);
      }),
      exited,
    ]);
  return {
    loading: next('loading').then(() => {}),
    done: next('done').then((message) => message.value),
    release: () => child.send({ type: 'release' } satisfies ToHolder),
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}
