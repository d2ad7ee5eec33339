import type { DriverNode, RedisCommand, RedisReply } from '@redcache/core';
import type { ReadyCheck } from './ready-check.js';

/** The part of a driver the gate changes; everything else passes through untouched. */
interface Sends {
  send(commands: readonly RedisCommand[]): Promise<Array<RedisReply | Error>>;
  nodes?(): readonly DriverNode[] | Promise<readonly DriverNode[]>;
  close(): Promise<void>;
}

/**
 * `driver`, with every `send` (and every send to one of its `nodes`) held until `check` passes
 * (then sent as is, at no further cost) and failed with its `ConnectError` if it does not.
 * `close` also stops the check waiting.
 * Every other member is the driver's own.
 */
export function gateSends<D extends Sends>(driver: D, check: ReadyCheck): D {
  let passed = false;
  let failure: unknown;
  check.done.then(
    () => {
      passed = true;
    },
    (error: unknown) => {
      failure = error;
    },
  );
  const gated = <T>(run: () => Promise<T>): Promise<T> => {
    if (passed) return run();
    if (failure !== undefined) return Promise.reject(failure);
    return check.done.then(run);
  };
  const send = (commands: readonly RedisCommand[]): Promise<Array<RedisReply | Error>> =>
    passed ? driver.send(commands) : gated(() => driver.send(commands));
  // Listed once the check has passed: a cluster client knows its masters only once connected.
  const nodes = (): Promise<readonly DriverNode[]> =>
    gated(async () =>
      (await driver.nodes!()).map((node) => ({
        address: node.address,
        send: (commands) => gated(() => node.send(commands)),
      })),
    );
  const close = (): Promise<void> => {
    check.cancel();
    return driver.close();
  };
  // Bound once per method: `slotOf` and the like are called per key.
  const bound = new Map<PropertyKey, { readonly of: unknown; readonly fn: unknown }>();
  return new Proxy(driver, {
    get(target, property) {
      if (property === 'send') return send;
      if (property === 'close') return close;
      if (property === 'nodes' && typeof driver.nodes === 'function') return nodes;
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      const cached = bound.get(property);
      if (cached?.of === value) return cached.fn;
      const fn = value.bind(target);
      bound.set(property, { of: value, fn });
      return fn;
    },
  });
}
