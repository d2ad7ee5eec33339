import { describe, expect, it, vi } from 'vitest';
import { StringCodec } from '../codec/ready-codecs.js';
import type { Codec } from '../codec.js';
import { flush, stateOf } from '../test-support/promise-state.js';
import { type Flight, type FlightOutcome, FlightRegistry } from './single-flight.js';

/** Runs `body`, then lets Node report unhandled rejections, and returns those it reported. */
async function unhandledRejectionsDuring(body: () => void | Promise<void>): Promise<unknown[]> {
  const seen: unknown[] = [];
  const listener = (reason: unknown) => {
    seen.push(reason);
  };
  process.on('unhandledRejection', listener);
  try {
    await body();
    await flush();
    await new Promise((resolve) => setTimeout(resolve, 5));
    await flush();
  } finally {
    process.off('unhandledRejection', listener);
  }
  return seen;
}

const outcome = (value: string, source: FlightOutcome['source'] = 'loaded'): FlightOutcome => ({
  value,
  codec: StringCodec as Codec<unknown>,
  payload: value,
  source,
});

function setup(key = 'k'): {
  registry: FlightRegistry;
  flight: Flight;
  onRelease: ReturnType<typeof vi.fn<(abandoned: boolean) => void>>;
} {
  const registry = new FlightRegistry();
  const onRelease = vi.fn<(abandoned: boolean) => void>();
  const flight = registry.start(key, onRelease);
  return { registry, flight, onRelease };
}

describe('FlightRegistry', () => {
  it('start registers a flight under its key; get finds it; forget removes it', () => {
    const { registry, flight } = setup('k');
    expect(flight.key).toBe('k');
    expect(flight.settled).toBe(false);
    expect(registry.get('k')).toBe(flight);
    expect(registry.get('other')).toBeUndefined();
    registry.forget(flight);
    expect(registry.get('k')).toBeUndefined();
  });

  it('forget of a replaced flight does not remove the newer flight of the key', () => {
    const registry = new FlightRegistry();
    const old = registry.start('k', () => {});
    const newer = registry.start('k', () => {});
    expect(registry.get('k')).toBe(newer);
    registry.forget(old);
    expect(registry.get('k')).toBe(newer);
  });

  it('a settling replaced flight does not remove the newer flight of the key', () => {
    const registry = new FlightRegistry();
    const old = registry.start('k', () => {});
    const newer = registry.start('k', () => {});
    old.resolve(outcome('old'));
    expect(registry.get('k')).toBe(newer);
  });

  it('keeps flights of different keys apart', () => {
    const registry = new FlightRegistry();
    const a = registry.start('a', () => {});
    const b = registry.start('b', () => {});
    a.resolve(outcome('a'));
    expect(registry.get('a')).toBeUndefined();
    expect(registry.get('b')).toBe(b);
  });

  it('rejectAll rejects every flight, releases each once (not abandoned) and forgets them', async () => {
    const registry = new FlightRegistry();
    const releaseA = vi.fn<(abandoned: boolean) => void>();
    const releaseB = vi.fn<(abandoned: boolean) => void>();
    const a = registry.start('a', releaseA);
    const b = registry.start('b', releaseB);
    const joinedA = a.join(undefined);
    const joinedB = b.join(new AbortController().signal);
    const closed = new Error('closed');
    registry.rejectAll(closed);
    const states = await Promise.all([stateOf(joinedA), stateOf(joinedB)]);
    expect(states).toEqual([
      { state: 'rejected', error: closed },
      { state: 'rejected', error: closed },
    ]);
    expect(releaseA.mock.calls).toEqual([[false]]);
    expect(releaseB.mock.calls).toEqual([[false]]);
    expect(registry.get('a')).toBeUndefined();
    expect(registry.get('b')).toBeUndefined();
    expect(a.settled && b.settled).toBe(true);
    registry.rejectAll(new Error('again'));
    expect(releaseA).toHaveBeenCalledTimes(1);
  });

  it('rejectAll on an empty registry does nothing', () => {
    expect(() => new FlightRegistry().rejectAll(new Error('x'))).not.toThrow();
  });
});

describe('Flight.join', () => {
  it('callers with and without a signal all receive the outcome', async () => {
    const { flight } = setup();
    const plain = flight.join(undefined);
    const withSignal = flight.join(new AbortController().signal);
    expect((await stateOf(plain)).state).toBe('pending');
    const result = outcome('v', 'redis');
    flight.resolve(result);
    expect(await plain).toBe(result);
    expect(await withSignal).toBe(result);
  });

  it('callers with and without a signal all receive the rejection', async () => {
    const { flight } = setup();
    const plain = flight.join(undefined);
    const withSignal = flight.join(new AbortController().signal);
    const failure = new Error('loader failed');
    flight.reject(failure);
    await expect(plain).rejects.toBe(failure);
    await expect(withSignal).rejects.toBe(failure);
  });

  it('a caller joining a settled flight gets its outcome', async () => {
    const { flight } = setup();
    const result = outcome('v');
    flight.resolve(result);
    expect(await flight.join(undefined)).toBe(result);
    expect(await flight.join(new AbortController().signal)).toBe(result);
  });

  it('aborting one caller rejects only that caller, at once, with the reason', async () => {
    const { flight, onRelease } = setup();
    const first = new AbortController();
    const second = new AbortController();
    const a = flight.join(first.signal);
    const b = flight.join(second.signal);
    const reason = new Error('caller gave up');
    first.abort(reason);
    // Before the flight settles.
    expect(await stateOf(a)).toEqual({ state: 'rejected', error: reason });
    expect((await stateOf(b)).state).toBe('pending');
    expect(onRelease).not.toHaveBeenCalled();
    const result = outcome('v');
    flight.resolve(result);
    expect(await b).toBe(result);
  });

  it('a signal aborted without a reason rejects with an AbortError', async () => {
    const { flight } = setup();
    const controller = new AbortController();
    const joined = flight.join(controller.signal);
    controller.abort();
    await expect(joined).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('a caller whose signal is already aborted is rejected at once and does not count', async () => {
    const { flight, registry, onRelease } = setup();
    const reason = new Error('already');
    const joined = flight.join(AbortSignal.abort(reason));
    expect(await stateOf(joined)).toEqual({ state: 'rejected', error: reason });
    const live = new AbortController();
    const other = flight.join(live.signal);
    expect(onRelease).not.toHaveBeenCalled();
    live.abort(new Error('bye'));
    await expect(other).rejects.toThrow('bye');
    expect(onRelease.mock.calls).toEqual([[true]]);
    expect(registry.get('k')).toBeUndefined();
  });
});

describe('Flight abandonment and release', () => {
  it('when the last signal-bearing caller leaves, onRelease(true) runs once and the flight is forgotten', async () => {
    const { flight, registry, onRelease } = setup();
    const first = new AbortController();
    const second = new AbortController();
    const a = flight.join(first.signal);
    const b = flight.join(second.signal);
    first.abort(new Error('a'));
    expect(onRelease).not.toHaveBeenCalled();
    expect(registry.get('k')).toBe(flight);
    second.abort(new Error('b'));
    expect(onRelease.mock.calls).toEqual([[true]]);
    expect(registry.get('k')).toBeUndefined();
    await expect(a).rejects.toThrow('a');
    await expect(b).rejects.toThrow('b');
  });

  it('settling after abandonment does not call onRelease again', async () => {
    const { flight, onRelease } = setup();
    const controller = new AbortController();
    const joined = flight.join(controller.signal);
    controller.abort(new Error('gone'));
    await expect(joined).rejects.toThrow('gone');
    flight.resolve(outcome('late'));
    flight.reject(new Error('later'));
    expect(flight.settled).toBe(true);
    expect(onRelease.mock.calls).toEqual([[true]]);
  });

  it('an abandoned flight is not found: the next caller starts afresh', () => {
    const { flight, registry } = setup();
    const controller = new AbortController();
    flight.join(controller.signal).catch(() => {});
    controller.abort();
    const next = registry.start('k', () => {});
    expect(next).not.toBe(flight);
    expect(registry.get('k')).toBe(next);
    // The old flight settling later leaves the new one in place.
    flight.resolve(outcome('old'));
    expect(registry.get('k')).toBe(next);
  });

  it.each([
    ['before', true],
    ['after', false],
  ])(
    'a caller without a signal (joined %s the signal-bearing one) pins the flight',
    async (_label, plainFirst) => {
      const { flight, registry, onRelease } = setup();
      const controller = new AbortController();
      let plain: Promise<FlightOutcome>;
      let withSignal: Promise<FlightOutcome>;
      if (plainFirst) {
        plain = flight.join(undefined);
        withSignal = flight.join(controller.signal);
      } else {
        withSignal = flight.join(controller.signal);
        plain = flight.join(undefined);
      }
      controller.abort(new Error('left'));
      await expect(withSignal).rejects.toThrow('left');
      expect(onRelease).not.toHaveBeenCalled();
      expect(registry.get('k')).toBe(flight);
      const result = outcome('v');
      flight.resolve(result);
      expect(await plain).toBe(result);
      expect(onRelease.mock.calls).toEqual([[false]]);
    },
  );

  it('many signal-bearing callers: abandoned only when the very last one leaves', async () => {
    const { flight, onRelease } = setup();
    const controllers = Array.from({ length: 5 }, () => new AbortController());
    const joined = controllers.map((c) => flight.join(c.signal));
    for (const [i, c] of controllers.entries()) {
      expect(onRelease).not.toHaveBeenCalled();
      c.abort(new Error(`left ${i}`));
    }
    expect(onRelease.mock.calls).toEqual([[true]]);
    await Promise.allSettled(joined);
  });

  it('settling calls onRelease(false) once and forgets the flight', async () => {
    const { flight, registry, onRelease } = setup();
    const joined = flight.join(new AbortController().signal);
    const result = outcome('v');
    flight.resolve(result);
    expect(flight.settled).toBe(true);
    expect(onRelease.mock.calls).toEqual([[false]]);
    expect(registry.get('k')).toBeUndefined();
    flight.resolve(outcome('second'));
    flight.reject(new Error('third'));
    expect(onRelease).toHaveBeenCalledTimes(1);
    expect(await joined).toBe(result);
  });

  it('rejecting calls onRelease(false) once and forgets the flight; the first settlement wins', async () => {
    const { flight, registry, onRelease } = setup();
    const joined = flight.join(undefined);
    const failure = new Error('first');
    flight.reject(failure);
    flight.resolve(outcome('ignored'));
    expect(onRelease.mock.calls).toEqual([[false]]);
    expect(registry.get('k')).toBeUndefined();
    await expect(joined).rejects.toBe(failure);
  });

  it('a caller leaving after the flight settled does not release it again', async () => {
    const { flight, onRelease } = setup();
    const controller = new AbortController();
    const joined = flight.join(controller.signal);
    flight.resolve(outcome('v'));
    // Abort in the same tick, before the joined promise has observed the settlement.
    controller.abort(new Error('late abort'));
    await Promise.allSettled([joined]);
    expect(onRelease.mock.calls).toEqual([[false]]);
  });

  it('onRelease runs synchronously inside abort and settle', () => {
    const order: string[] = [];
    const registry = new FlightRegistry();
    const flight = registry.start('k', (abandoned) => order.push(`release ${abandoned}`));
    const controller = new AbortController();
    flight.join(controller.signal).catch(() => {});
    order.push('before abort');
    controller.abort();
    order.push('after abort');
    expect(order).toEqual(['before abort', 'release true', 'after abort']);
  });
});

describe('Flight and unhandled rejections', () => {
  it('a flight rejected with nobody joined produces no unhandled rejection', async () => {
    const seen = await unhandledRejectionsDuring(() => {
      const { flight } = setup();
      flight.reject(new Error('nobody listens'));
    });
    expect(seen).toEqual([]);
  });

  it('a flight rejected after every caller left produces no unhandled rejection', async () => {
    const seen = await unhandledRejectionsDuring(async () => {
      const { flight } = setup();
      const controller = new AbortController();
      const joined = flight.join(controller.signal);
      controller.abort(new Error('left'));
      await expect(joined).rejects.toThrow('left');
      flight.reject(new Error('loader aborted'));
    });
    expect(seen).toEqual([]);
  });

  it('rejectAll with nobody joined produces no unhandled rejection', async () => {
    const seen = await unhandledRejectionsDuring(() => {
      const registry = new FlightRegistry();
      registry.start('a', () => {});
      registry.start('b', () => {});
      registry.rejectAll(new Error('closed'));
    });
    expect(seen).toEqual([]);
  });
});
