import type { Cache, LoaderContext } from '@redcache/core';

/**
 * Work in flight on one Conn for the close() tests (issue 10, acceptance 3), used in the test
 * process (close-drain.test.ts) and in a child that must exit by itself (close-drain-child.ts):
 * every kind of load that holds something in Redis when close() comes, each with a loader that
 * settles only when the test says so.
 */
export interface InFlightKeys {
  /** A `get` whose loader runs: its lock is in the key. */
  readonly load: string;
  /** A `getMulti` whose loader runs: both keys locked. */
  readonly multi: readonly [string, string];
  /** A `set` over a prior value whose loader runs: the key holds its lock, the prior value is saved. */
  readonly set: string;
  /** A `setMulti` holds this one (over a prior value)… */
  readonly setMultiFirst: string;
  /** …and waits for this one, locked elsewhere (it comes after `setMultiFirst` in byte order). */
  readonly foreign: string;
  /** A refresh-ahead job whose loader runs: its refresh lock is `<refreshLockPrefix>{refresh}`. */
  readonly refresh: string;
}

export function inFlightKeys(prefix: string): InFlightKeys {
  return {
    load: `${prefix}load`,
    multi: [`${prefix}multi-1`, `${prefix}multi-2`],
    set: `${prefix}set`,
    setMultiFirst: `${prefix}sm-a`,
    foreign: `${prefix}sm-z-foreign`,
    refresh: `${prefix}refresh`,
  };
}

/** The ttl of every call. With `refreshAfterFraction: 0.5`, a hit with less than half of it left refreshes. */
export const IN_FLIGHT_TTL_MS = 60_000;

/**
 * What Redis must hold before the loads start (stored text and PX), as any process writes it:
 * the prior values a `set` and a `setMulti` replace, and the value due for refresh (a third
 * of the ttl left).
 */
export function priorValues(
  keys: InFlightKeys,
): Map<string, { readonly text: string; readonly pxMs: number }> {
  return new Map([
    [keys.set, { text: '__redcache:v1:0:prior-set', pxMs: IN_FLIGHT_TTL_MS }],
    [keys.setMultiFirst, { text: '__redcache:v1:0:prior-set-multi', pxMs: IN_FLIGHT_TTL_MS }],
    [keys.refresh, { text: '__redcache:v1:0:stale', pxMs: IN_FLIGHT_TTL_MS / 3 }],
  ]);
}

export interface LoadsInFlight {
  /** The callers' promises (already observed: none is an unhandled rejection). */
  readonly calls: {
    readonly get: Promise<string>;
    readonly getMulti: Promise<Map<string, string>>;
    readonly set: Promise<void>;
    readonly setMulti: Promise<void>;
  };
  /** The signal of every loader call, refresh included. */
  readonly signals: readonly AbortSignal[];
  /** Lets every loader return its value, now: the results of abandoned loads arrive late. */
  settle(): void;
}

/**
 * Starts the loads of `keys` on `cache` and resolves once each is under way: its loader called,
 * or (the `setMulti`) waiting for `keys.foreign`, which the caller has locked elsewhere;
 * `contended()` resolves once the Conn has counted `lockContended`.
 */
export async function startLoadsInFlight(
  cache: Cache<string, string>,
  keys: InFlightKeys,
  contended: () => Promise<void>,
): Promise<LoadsInFlight> {
  let settle!: () => void;
  const settled = new Promise<void>((resolve) => {
    settle = resolve;
  });
  const signals: AbortSignal[] = [];
  /** A loader that reports its call through the returned promise and returns `produce(arg)` once settled. */
  const held = <A, V>(produce: (arg: A) => V) => {
    let start!: () => void;
    const started = new Promise<void>((resolve) => {
      start = resolve;
    });
    const load = async (arg: A, ctx: LoaderContext): Promise<V> => {
      signals.push(ctx.signal);
      start();
      await settled;
      return produce(arg);
    };
    return { load, started };
  };
  const each = (value: string) => (ks: string[]) => new Map(ks.map((key) => [key, value]));
  const observed = <T>(call: Promise<T>) => {
    call.catch(() => {});
    return call;
  };
  const ttl = IN_FLIGHT_TTL_MS;

  const getLoader = held(() => 'late-get');
  const get = observed(cache.get(keys.load, ttl, getLoader.load));
  await getLoader.started;
  const multiLoader = held(each('late-get-multi'));
  const getMulti = observed(cache.getMulti([...keys.multi], ttl, multiLoader.load));
  await multiLoader.started;
  const setLoader = held(() => 'late-set');
  const set = observed(cache.set(keys.set, ttl, setLoader.load));
  await setLoader.started;
  const setMultiLoader = held(each('late-set-multi'));
  const setMulti = observed(cache.setMulti([keys.setMultiFirst, keys.foreign], ttl, setMultiLoader.load));
  await contended();
  const refreshLoader = held(() => 'late-refresh');
  // A hit: the stale value at once, and a refresh job in the background.
  await cache.get(keys.refresh, ttl, refreshLoader.load);
  await refreshLoader.started;
  return { calls: { get, getMulti, set, setMulti }, signals, settle };
}
