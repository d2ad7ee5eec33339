import type { Driver } from '@redcache/core';

/**
 * Drivers that break coherence on purpose, for the stress test's controls: the check must
 * catch a Conn over them. `deaf`: no invalidation reaches the engine, so its near cache keeps
 * what it read whatever changes in Redis. `late`: every invalidation reaches it
 * `LATE_BY_MS` after the driver had it, so a reply can resolve before the invalidations its
 * command's run had queued (the ordering the ioredis driver's fence exists for).
 */
export type CoherenceControl = 'deaf' | 'late';

/** How late the `late` control delivers each invalidation. */
export const LATE_BY_MS = 20;

/** `inner` with its `onInvalidate` replaced; every other member (optional ones too) is `inner`'s own. */
function withInvalidations(inner: Driver, onInvalidate: Driver['onInvalidate']): Driver {
  return new Proxy(inner, {
    get(target, property) {
      if (property === 'onInvalidate') return onInvalidate;
      const member: unknown = Reflect.get(target, property, target);
      return typeof member === 'function' ? member.bind(target) : member;
    },
  });
}

/** The driver of `control` over `inner`. */
export function controlDriver(control: CoherenceControl): (inner: Driver) => Driver {
  if (control === 'deaf') return (inner) => withInvalidations(inner, () => () => {});
  return (inner) =>
    withInvalidations(inner, (listener) =>
      inner.onInvalidate((key) => {
        setTimeout(() => listener(key), LATE_BY_MS);
      }),
    );
}
