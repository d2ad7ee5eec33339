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
    close: () => inner.close(),
  };
}
