import type { Driver } from '@redcache/core';

/**
 * The optional hooks of `inner` (`serverOf`, `onHealth`, `nodes`), for a test driver that wraps
 * it: a wrapper that left them out would hide from the engine which server a key goes to and
 * when a connection is lost (its breaker would then open only on failed sends and timeouts),
 * and its views could not `clear`.
 */
export function driverHooks(inner: Driver): Pick<Driver, 'serverOf' | 'onHealth' | 'nodes'> {
  return {
    ...(inner.nodes === undefined ? {} : { nodes: () => inner.nodes!() }),
    ...(inner.serverOf === undefined ? {} : { serverOf: (key: string) => inner.serverOf!(key) }),
    ...(inner.onHealth === undefined ? {} : { onHealth: (listener) => inner.onHealth!(listener) }),
  };
}
