/** Test helpers for observing promises without racing them. */

export type State<T> =
  | { state: 'fulfilled'; value: T }
  | { state: 'rejected'; error: unknown }
  | { state: 'pending' };

/** Lets every queued microtask (and promise chain) run. */
export const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * How `promise` has settled once queued microtasks have run. The handlers are attached at
 * once, so observing a rejection never creates an unhandled one.
 */
export async function stateOf<T>(promise: Promise<T>): Promise<State<T>> {
  let state: State<T> = { state: 'pending' };
  promise.then(
    (value) => {
      state = { state: 'fulfilled', value };
    },
    (error: unknown) => {
      state = { state: 'rejected', error };
    },
  );
  await flush();
  return state;
}

/** A promise with its resolve and reject handed out. */
export function deferred<T>(): {
  promise: Promise<T>;
  resolve: (value: T) => void;
  reject: (error: unknown) => void;
} {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
