import type { Driver } from '@redcache/core';

/** `inner` with its `send` replaced (to delay, reorder or answer commands); the rest passes through. */
export function withSend(inner: Driver, send: Driver['send']): Driver {
  return {
    get client() {
      return inner.client;
    },
    send,
    onInvalidate: (listener) => inner.onInvalidate(listener),
    slotOf: (key) => inner.slotOf(key),
    // The optional hooks too: hiding them would hide a lost connection from the breaker.
    ...(inner.serverOf === undefined ? {} : { serverOf: (key: string) => inner.serverOf!(key) }),
    ...(inner.onHealth === undefined ? {} : { onHealth: (listener) => inner.onHealth!(listener) }),
    close: () => inner.close(),
  };
}
