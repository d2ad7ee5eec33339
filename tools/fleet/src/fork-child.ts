import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { AnyChannel, ToChild, ToParent } from './channel.js';

export interface ForkOptions {
  /** Names the child in error messages (`<name> <pid> exited (1)`). Default: 'worker'. */
  readonly name?: string;
  /** How long `close()` waits for the child to exit before it kills it. Default: 5 s. */
  readonly closeTimeoutMs?: number;
}

/** A child process forked by `forkChild`, and the parent's end of its channel. */
export interface ForkedChild<C extends AnyChannel> {
  readonly process: ChildProcess;
  readonly pid: number;
  /** Sends `request`; resolves with the child's reply, rejects with its error or if the child exits first. */
  request(request: C['request']): Promise<C['reply']>;
  /**
   * The next event from the child that `match` accepts (events sent before this call are not
   * seen, so call it before whatever causes the event); rejects if the child exits first.
   */
  nextEvent(match: (event: C['event']) => boolean): Promise<C['event']>;
  /** Asks the child to close (see `serveParent`) and waits until it has exited; kills it if it takes too long. */
  close(): Promise<void>;
  /** SIGKILL, at once (nothing if the child has exited). */
  kill(): void;
}

interface Waiter {
  /** True if the message settled this waiter. */
  take(message: ToParent): boolean;
  fail(error: Error): void;
}

/**
 * Forks `module` (a TypeScript file, run through tsx: `--import tsx`, resolved from the
 * working directory, so the caller's package needs tsx) with `args`, its stdout and stderr
 * shared with this process. Resolves once the child has called `serveParent`; rejects (and
 * kills it) if it exits or fails before that.
 */
export async function forkChild<C extends AnyChannel>(
  module: string | URL,
  args: readonly string[] = [],
  options: ForkOptions = {},
): Promise<ForkedChild<C>> {
  const child = fork(typeof module === 'string' ? module : fileURLToPath(module), [...args], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const label = `${options.name ?? 'worker'} ${child.pid}`;
  const waiters = new Set<Waiter>();
  /** Why the child can answer no more, once it cannot. */
  let gone: Error | undefined;
  const fail = (error: Error) => {
    gone ??= error;
    for (const waiter of waiters) waiter.fail(error);
    waiters.clear();
  };
  child.on('message', (message: ToParent) => {
    for (const waiter of [...waiters]) if (waiter.take(message)) waiters.delete(waiter);
  });
  child.once('exit', (code, signal) => fail(new Error(`${label} exited (${code ?? signal})`)));
  child.on('error', (error) => fail(new Error(`${label}: ${error.message}`)));

  /** A promise that `settle` resolves or rejects from the child's messages; rejected if the child goes away. */
  const waitFor = <T>(
    settle: (message: ToParent, resolve: (value: T) => void, reject: (error: Error) => void) => boolean,
  ) =>
    new Promise<T>((resolve, reject) => {
      if (gone !== undefined) reject(gone);
      else waiters.add({ take: (message) => settle(message, resolve, reject), fail: reject });
    });
  const send = (message: ToChild) => {
    child.send(message, (error) => {
      if (error) fail(new Error(`${label}: ${error.message}`));
    });
  };
  const exited = () => child.exitCode !== null || child.signalCode !== null;

  try {
    await waitFor<void>((message, resolve) => {
      if (message.kind !== 'ready') return false;
      resolve();
      return true;
    });
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }

  let lastId = 0;
  return {
    process: child,
    pid: child.pid ?? 0,
    request(request) {
      const id = ++lastId;
      const reply = waitFor<C['reply']>((message, resolve, reject) => {
        if (message.kind === 'reply' && message.id === id) resolve(message.body);
        else if (message.kind === 'failed' && message.id === id)
          reject(new Error(`${label}: ${message.error}`));
        else return false;
        return true;
      });
      send({ kind: 'request', id, body: request });
      return reply;
    },
    nextEvent(match) {
      return waitFor<C['event']>((message, resolve) => {
        if (message.kind !== 'event' || !match(message.body)) return false;
        resolve(message.body);
        return true;
      });
    },
    async close() {
      if (exited()) return;
      const exitedNow = new Promise((resolve) => child.once('exit', resolve));
      const timer = setTimeout(() => child.kill('SIGKILL'), options.closeTimeoutMs ?? 5_000);
      send({ kind: 'close' });
      await exitedNow;
      clearTimeout(timer);
    },
    kill() {
      if (!exited()) child.kill('SIGKILL');
    },
  };
}
