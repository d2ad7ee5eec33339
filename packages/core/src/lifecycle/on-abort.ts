/**
 * One 'abort' listener per signal, whatever the number of callers waiting on it: a caller
 * that passes one request signal to a thousand concurrent calls adds one listener to it, not
 * a thousand (Node warns past ten), and nothing stays attached once they are done.
 */
const waiting = new WeakMap<AbortSignal, Set<() => void>>();

/** Runs `onAbort` once when `signal` aborts, unless the returned function is called first. */
export function onAbort(signal: AbortSignal, onAbort: () => void): () => void {
  let callbacks = waiting.get(signal);
  if (callbacks === undefined) {
    const created = new Set<() => void>();
    callbacks = created;
    waiting.set(signal, created);
    signal.addEventListener(
      'abort',
      () => {
        waiting.delete(signal);
        for (const callback of created) callback();
      },
      { once: true },
    );
  }
  const callback = () => onAbort();
  const set = callbacks;
  set.add(callback);
  return () => {
    set.delete(callback);
  };
}
