import { AsyncLocalStorage } from 'node:async_hooks';
import { ROOT_CONTEXT } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { describe, expect, it } from 'vitest';
import { contextStorage } from './context-storage.js';

describe('contextStorage', () => {
  it('finds the AsyncLocalStorage of the context-async-hooks manager (a rename there fails here)', () => {
    const manager = new AsyncLocalStorageContextManager().enable();
    const storage = contextStorage(manager);
    expect(storage).toBeInstanceOf(AsyncLocalStorage);
    const marked = ROOT_CONTEXT.setValue(Symbol('mark'), 1);
    expect(storage!.run(marked, () => manager.active())).toBe(marked);
    manager.disable();
  });

  it('finds none in a context manager that keeps no AsyncLocalStorage', () => {
    const manager = {
      active: () => ROOT_CONTEXT,
      with: <A extends unknown[], R>(_: unknown, fn: (...args: A) => R, __?: unknown, ...args: A) =>
        fn(...args),
      bind: <T>(_: unknown, target: T) => target,
      enable() {
        return this;
      },
      disable() {
        return this;
      },
    };
    expect(contextStorage(manager)).toBeUndefined();
  });
});
