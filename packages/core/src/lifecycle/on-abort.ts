import type { AbortSource } from './abort-source.js';

/**
 * One 'abort' listener per signal, whatever the number of callers waiting on it: a caller
 * that passes one request signal to a thousand concurrent calls adds one listener to it, not
 * a thousand (Node warns past ten). The listener goes once the last of them is done.
 */
interface Waiting {
  readonly callbacks: Set<() => void>;
  readonly listener: () => void;
}

const bySignal = new WeakMap<AbortSignal, Waiting>();

/** Runs `callback` once when `signal` aborts, unless the returned function is called first. */
export function onAbort(signal: AbortSignal, callback: () => void): () => void {
  let waiting = bySignal.get(signal);
  if (waiting === undefined) {
    const callbacks = new Set<() => void>();
    const listener = () => {
      bySignal.delete(signal);
      for (const run of callbacks) run();
    };
    waiting = { callbacks, listener };
    bySignal.set(signal, waiting);
    signal.addEventListener('abort', listener, { once: true });
  }
  const entry = () => callback();
  const { callbacks, listener } = waiting;
  callbacks.add(entry);
  return () => {
    if (!callbacks.delete(entry) || callbacks.size > 0) return;
    if (bySignal.get(signal)?.callbacks === callbacks) bySignal.delete(signal);
    signal.removeEventListener('abort', listener);
  };
}

/** `onAbort` for either kind of source: a signal's one shared listener, or a watch's own callbacks. */
export function whenAborted(source: AbortSource, callback: () => void): () => void {
  return source instanceof AbortSignal ? onAbort(source, callback) : source.onAbort(callback);
}
