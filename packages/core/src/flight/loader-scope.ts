import { AsyncLocalStorage } from 'node:async_hooks';
import { setTimeout as realTimeout } from 'node:timers';

/**
 * The keys whose loader is running, as seen from inside it: a loader (or anything it awaits)
 * that asks the same connection for one of them would wait for itself forever. Each scope
 * names its connection (`owner`) and links to the scope it was entered from, so a loader
 * started from another loader sees both.
 *
 * The storage is enabled only while some loader runs (from its call until its promise
 * settles, or its synchronous return or throw): on Node 20 an `AsyncLocalStorage` that has
 * run installs promise hooks that tax every promise in the process, a near-cache hit's
 * included. When the last loader has ended it is disabled at the next near-cache hit
 * (`releaseIdleScope`, a flag test per hit: a loop of hits right after a miss runs untaxed)
 * or `IDLE_MS` later, whichever comes first — not at once, since enabling and disabling cost
 * ~12 µs, too much to pay per cold miss of a run of misses. The next loader enables it again.
 * While any loader runs it stays on, so every running loader sees its keys, however its runs
 * overlap with others. The idle check is an unref'd node:timers timer (fake timers neither
 * count nor hold it), at most one at a time.
 */
interface Scope {
  readonly owner: object;
  /** The loader's keys: as given when few (no set to build per single-key miss). */
  readonly keys: readonly string[] | ReadonlySet<string>;
  readonly parent: Scope | undefined;
}

const IDLE_MS = 10;
/** Up to this many keys, a scope looks its keys up in their array. */
const FEW_KEYS = 8;
const scopes = new AsyncLocalStorage<Scope>();
let running = 0;
/** No loader runs, and the storage is still enabled. */
let idle = false;
let idleCheck: ReturnType<typeof realTimeout> | undefined;

function ended(): void {
  running--;
  if (running !== 0) return;
  idle = true;
  if (idleCheck === undefined) idleCheck = realTimeout(onIdleCheck, IDLE_MS).unref();
}

function onIdleCheck(): void {
  idleCheck = undefined;
  releaseIdleScope();
}

/** Disables the storage if no loader runs (the near cache calls it on every hit). */
export function releaseIdleScope(): void {
  if (!idle) return;
  idle = false;
  if (running === 0) scopes.disable();
}

/** Runs `load` (a loader call) as the loader of `keys` on the connection `owner`. */
export function runAsLoaderOf<T>(owner: object, keys: readonly string[], load: () => T): T {
  const result = enter(owner, keys, load);
  if (result instanceof Promise) result.then(ended, ended);
  else ended();
  return result;
}

/**
 * `runAsLoaderOf` for a loader call that returns a promise, whose caller watches it settle
 * anyway: the caller calls `loaderSettled` once when it has (no reaction of its own is added).
 * A synchronous throw ends the run at once and is thrown on.
 */
export function enterAsLoaderOf<T>(
  owner: object,
  keys: readonly string[],
  load: () => Promise<T>,
): Promise<T> {
  return enter(owner, keys, load);
}

/** Ends a run started by `enterAsLoaderOf`, once its promise has settled. */
export const loaderSettled: () => void = ended;

function enter<T>(owner: object, keys: readonly string[], load: () => T): T {
  const scope: Scope = {
    owner,
    keys: keys.length <= FEW_KEYS ? keys : new Set(keys),
    parent: scopes.getStore(),
  };
  running++;
  idle = false;
  try {
    return scopes.run(scope, load);
  } catch (error) {
    ended();
    throw error;
  }
}

/** The first of `keys` whose loader, on the connection `owner`, is what is running now. */
export function ownKeyAmong(owner: object, keys: readonly string[]): string | undefined {
  if (running === 0) return undefined;
  for (let scope = scopes.getStore(); scope !== undefined; scope = scope.parent) {
    if (scope.owner !== owner) continue;
    const own = keys.find((key) => hasKey(scope, key));
    if (own !== undefined) return own;
  }
  return undefined;
}

function hasKey(scope: Scope, key: string): boolean {
  const keys = scope.keys;
  return Array.isArray(keys) ? keys.includes(key) : (keys as ReadonlySet<string>).has(key);
}

/** How many loader calls are running (the storage is enabled while it is not 0). For tests. */
export function loadersRunning(): number {
  return running;
}
