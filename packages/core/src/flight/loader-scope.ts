import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The keys whose loader is running, as seen from inside it: a loader (or anything it awaits)
 * that asks the same connection for one of them would wait for itself forever. Each scope
 * names its connection (`owner`) and links to the scope it was entered from, so a loader
 * started from another loader sees both.
 */
interface Scope {
  readonly owner: object;
  readonly keys: ReadonlySet<string>;
  readonly parent: Scope | undefined;
}

const scopes = new AsyncLocalStorage<Scope>();

/** Runs `load` (a loader call) as the loader of `keys` on the connection `owner`. */
export function runAsLoaderOf<T>(owner: object, keys: readonly string[], load: () => T): T {
  return scopes.run({ owner, keys: new Set(keys), parent: scopes.getStore() }, load);
}

/** The first of `keys` whose loader, on the connection `owner`, is what is running now. */
export function ownKeyAmong(owner: object, keys: readonly string[]): string | undefined {
  for (let scope = scopes.getStore(); scope !== undefined; scope = scope.parent) {
    if (scope.owner !== owner) continue;
    const own = keys.find((key) => scope.keys.has(key));
    if (own !== undefined) return own;
  }
  return undefined;
}
