import { tracingChannel } from 'node:diagnostics_channel';
import type { Context } from '@opentelemetry/api';
import { type ContextStorage, currentContext } from './context-storage.js';
import { guarded } from './guarded.js';

/** What a traced channel does with each run. */
export interface RunHooks<E> {
  /** Called as the run starts: the context its code runs in (bound to `start` in the storage). */
  readonly begin: (event: E) => Context;
  /** Called once the run settled (`asyncEnd`; `end` after a synchronous throw). */
  readonly settle: (event: E) => void;
  /** Called when the run failed (its `error` event), before it settles. */
  readonly fail: (event: E) => void;
}

/**
 * Subscribes `hooks` to the TracingChannel `channelName`, every hook guarded (a throw is
 * reported to `diag`, never to the traced code), and binds `hooks.begin` to its `start` in
 * `storage`.
 *
 * @param channelName - the TracingChannel's name
 * @param storage - where the runs' contexts are kept
 * @param hooks - what to do as a run starts, fails and settles
 * @returns what unsubscribes and unbinds
 */
export function subscribeRuns<E extends { error?: unknown }>(
  channelName: string,
  storage: ContextStorage,
  hooks: RunHooks<E>,
): () => void {
  const channel = tracingChannel<Context, E>(channelName);
  const settle = guarded(hooks.settle, noop);
  const handlers = {
    start: noop,
    // A synchronous throw publishes `error` then `end`, and no async event: settle there.
    end: (event: E) => {
      if (event.error !== undefined) settle(event);
    },
    asyncStart: noop,
    asyncEnd: settle,
    error: guarded(hooks.fail, noop),
  };
  channel.start.bindStore(
    storage,
    guarded(hooks.begin, () => currentContext(storage)),
  );
  channel.subscribe(handlers);
  return () => {
    channel.unsubscribe(handlers);
    channel.start.unbindStore(storage);
  };
}

function noop(): void {}
