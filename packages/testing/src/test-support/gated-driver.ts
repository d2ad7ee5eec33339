import type { Driver, RedisCommand } from '@redcache/core';
import type { Script } from '@redcache/core/wire';
import { withSend } from './with-send.js';

/** Whether `command` runs `script` (by SHA, or by source on first use). */
export function runs(command: RedisCommand, script: Script): boolean {
  return (
    (command.args[0] === 'EVALSHA' && command.args[1] === script.sha1) ||
    (command.args[0] === 'EVAL' && command.args[1] === script.source)
  );
}

export interface GatedDriver {
  readonly driver: Driver;
  /** Resolves once a pipeline matching `hold` has reached the driver and is held back. */
  readonly held: Promise<void>;
  /** Lets the held pipelines through, and every later one. */
  release(): void;
  /** Resolves once a pipeline with a command matching `match` has been answered (then `settle()` lets the engine see it). */
  answered(match: (command: RedisCommand) => boolean): Promise<void>;
}

/**
 * `inner` holding back every pipeline with a command matching `hold` until `release()`: a
 * slot group that answers late, as a busy node of a cluster does, with no clock involved.
 */
export function gatedDriver(inner: Driver, hold: (command: RedisCommand) => boolean): GatedDriver {
  let open = false;
  let release!: () => void;
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  let reached!: () => void;
  const held = new Promise<void>((resolve) => {
    reached = resolve;
  });
  const watchers: Array<{ match: (command: RedisCommand) => boolean; done: () => void }> = [];
  const driver = withSend(inner, async (commands) => {
    if (!open && commands.some(hold)) {
      reached();
      await gate;
    }
    const replies = await inner.send(commands);
    for (const watcher of watchers) if (commands.some(watcher.match)) watcher.done();
    return replies;
  });
  return {
    driver,
    held,
    release: () => {
      open = true;
      release();
    },
    answered: (match) =>
      new Promise<void>((done) => {
        watchers.push({ match, done });
      }),
  };
}

/** Lets every reply and push already produced reach the engine (microtasks and ticks run first). */
export const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
