import { AsyncLocalStorage } from 'node:async_hooks';
import { type Context, type ContextManager, context } from '@opentelemetry/api';

/**
 * The `AsyncLocalStorage` that holds OpenTelemetry's active context, so a TracingChannel's
 * `start.bindStore` can make a span active for the code it traces (the loader). The OTel API
 * offers no public way to it: Node's context manager, `AsyncLocalStorageContextManager` from
 * `@opentelemetry/context-async-hooks` (what `NodeSDK` registers), keeps it in its
 * `_asyncLocalStorage` field, and the API keeps the registered manager behind
 * `_getContextManager()`. Both are read here, once, and checked: anything else (no manager
 * registered, a manager built otherwise) gives `undefined`, and the loader then runs in the
 * caller's context (its spans nest under the caller's span instead of the loader span).
 *
 * @param manager - the context manager to reach into; default: the one registered with the API
 * @returns its storage, or undefined when it has none this can find
 */
export function contextStorage(manager?: ContextManager): AsyncLocalStorage<Context> | undefined {
  const candidate = manager ?? registeredManager();
  const storage = (candidate as { _asyncLocalStorage?: unknown } | undefined)?._asyncLocalStorage;
  return storage instanceof AsyncLocalStorage ? (storage as AsyncLocalStorage<Context>) : undefined;
}

function registeredManager(): ContextManager | undefined {
  const api = context as unknown as { _getContextManager?: () => ContextManager | undefined };
  return typeof api._getContextManager === 'function' ? api._getContextManager() : undefined;
}

/** Where the context of traced runs is kept: OTel's own storage, or a private one. */
export type ContextStorage = AsyncLocalStorage<Context>;

/**
 * The context current for redcache's runs: what `storage` holds (a run's context, when inside
 * one), else OTel's active context.
 *
 * @param storage - the storage the channels' `start` is bound to
 * @returns the context a run starting now takes as parent
 */
export function currentContext(storage: ContextStorage): Context {
  return storage.getStore() ?? context.active();
}
