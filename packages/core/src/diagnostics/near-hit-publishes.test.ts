import { tracingChannel } from 'node:diagnostics_channel';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { StringCodec } from '../codec/ready-codecs.js';
import type { EngineContext } from '../engine/engine-context.js';
import { NearCache } from '../near-cache/near-cache.js';
import { nearNow } from '../near-cache/near-clock.js';
import { get } from '../read/get.js';
import { getMulti } from '../read/get-multi.js';
import { peek } from '../read/peek.js';
import type { ViewCodecs } from '../view/view-codecs.js';
import type { CallEvent } from './call-event.js';
import { CALL_CHANNELS, type CallOp } from './channel-names.js';
import { callChannels } from './tracing-channels.js';

// Issue 13, acceptance 1: with no subscriber, a near hit publishes nothing, builds no event and
// reads no clock for the call (counted on core's own channel objects, on the key codec and on
// performance.now), and the same hit with a subscriber or a callDuration does (so the counts can
// fail).

const TTL = 60_000;
const OPS = ['get', 'getMulti', 'peek'] as const;

/** An engine whose near cache holds `k` → `v` (fresh for a minute); `callDuration` only if given. */
function engineWith(callDuration?: (...args: unknown[]) => void) {
  const nearCache = new NearCache({ maxEntries: 10, maxBytes: 10_000 });
  nearCache.set(
    'k',
    { value: 'v', codec: StringCodec, raw: new Uint8Array(1), deltaNs: 0 },
    nearNow() + TTL,
    0,
    false,
  );
  const metrics: Record<string, unknown> = { cacheHits: vi.fn(), cacheMisses: vi.fn() };
  if (callDuration !== undefined) metrics.callDuration = callDuration;
  return { nearCache, metrics, options: {}, refresh: undefined } as unknown as EngineContext;
}

/** A view whose key codec counts its calls. */
function countingView() {
  const encodeKey = vi.fn((key: string) => key);
  const view: ViewCodecs<string, string> = { keyCodec: { encodeKey }, codec: StringCodec, name: 'pages' };
  return { view, encodeKey };
}

const hit = (engine: EngineContext, view: ViewCodecs<string, string>, op: (typeof OPS)[number]) => {
  if (op === 'get') return get(engine, view, 'k', TTL, async () => 'loaded', undefined);
  if (op === 'getMulti') return getMulti(engine, view, ['k'], TTL, async () => new Map(), undefined);
  return peek(engine, view, 'k', TTL, undefined);
};

/**
 * Counts every way core's TracingChannel for `op` could publish or trace. Node swaps a
 * channel's prototype when it gets its first subscriber, so each spy calls the method the
 * channel has now.
 */
function spyPublishes(op: CallOp) {
  const channel = callChannels[op];
  const through = <C extends object>(target: C, name: 'publish' | 'runStores') =>
    vi
      .spyOn(target as Record<typeof name, (...args: unknown[]) => unknown>, name)
      .mockImplementation(function (this: unknown, ...args: unknown[]) {
        return (Object.getPrototypeOf(target) as Record<string, (...a: unknown[]) => unknown>)[name]!.apply(
          this,
          args,
        );
      });
  const spies = [
    vi.spyOn(channel, 'tracePromise'),
    vi.spyOn(channel, 'traceSync'),
    vi.spyOn(channel, 'traceCallback'),
    ...[channel.start, channel.end, channel.asyncStart, channel.asyncEnd, channel.error].flatMap((c) => [
      through(c, 'publish'),
      through(c, 'runStores'),
    ]),
  ];
  return () => spies.reduce((sum, spy) => sum + spy.mock.calls.length, 0);
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe.each(OPS)('a near hit of %s', (op) => {
  it('with no subscriber and no callDuration: nothing published, no event built, no clock read for the call', async () => {
    const engine = engineWith();
    const { view, encodeKey } = countingView();
    await hit(engine, view, op); // warm the near clock's reading and the code path
    const published = spyPublishes(op);
    const now = vi.spyOn(performance, 'now');
    encodeKey.mockClear();
    const clockBefore = now.mock.calls.length;
    await hit(engine, view, op);
    // The near cache's own clock may read once (a spied performance.now is read each time); the call adds none.
    expect(now.mock.calls.length - clockBefore).toBeLessThanOrEqual(1);
    expect(published()).toBe(0);
    // One encode for the lookup; an event would encode the keys again.
    expect(encodeKey).toHaveBeenCalledTimes(1);
    expect(callChannels[op].hasSubscribers).toBe(false);
  });

  it('with a subscriber: the same hit is traced once, its event built (the counts above can fail)', async () => {
    const engine = engineWith();
    const { view, encodeKey } = countingView();
    const published = spyPublishes(op);
    const seen: CallEvent[] = [];
    const handlers = {
      start: () => {},
      end: () => {},
      asyncStart: () => {},
      asyncEnd: (e: CallEvent) => seen.push(e),
      error: () => {},
    };
    tracingChannel<CallEvent, CallEvent>(CALL_CHANNELS[op]).subscribe(handlers);
    try {
      await hit(engine, view, op);
    } finally {
      tracingChannel<CallEvent, CallEvent>(CALL_CHANNELS[op]).unsubscribe(handlers);
    }
    expect(callChannels[op].tracePromise).toHaveBeenCalledTimes(1);
    expect(published()).toBeGreaterThan(1);
    expect(encodeKey).toHaveBeenCalledTimes(2);
    expect(seen).toHaveLength(1);
    expect(seen[0]!.outcome).toBe('nearHit');
  });

  it('with a callDuration and no subscriber: timed (two clock reads) and reported, nothing published', async () => {
    const callDuration = vi.fn();
    const engine = engineWith(callDuration);
    const { view } = countingView();
    await hit(engine, view, op);
    callDuration.mockClear();
    const published = spyPublishes(op);
    const now = vi.spyOn(performance, 'now');
    await hit(engine, view, op);
    expect(now.mock.calls.length).toBeGreaterThanOrEqual(2);
    expect(published()).toBe(0);
    expect(callDuration).toHaveBeenCalledTimes(1);
    expect(callDuration).toHaveBeenCalledWith(op, 'nearHit', expect.any(Number), 'pages');
  });
});
