import { tracingChannel } from 'node:diagnostics_channel';
import { context, SpanStatusCode, trace } from '@opentelemetry/api';
import {
  CALL_CHANNELS,
  type CallEvent,
  LOAD_CHANNEL,
  LOCK_WAIT_CHANNEL,
  type LoadEvent,
  type LockWaitEvent,
  REFRESH_CHANNEL,
  type RefreshEvent,
} from '@redcache/core';
import { describe, expect, it } from 'vitest';
import { SPAN_ATTRIBUTES } from './span-attributes.js';
import { activeSpanId, idOf, parentOf, useInMemoryTracing } from './test-support/in-memory-tracing.js';

// These tests publish the channels' events as core does (tracePromise with the documented
// event objects), so they pin the subscriber's side of the contract on its own; the tests
// with a real Conn are in conn-spans.test.ts.
const tracing = useInMemoryTracing();
const getChannel = tracingChannel<unknown, CallEvent>(CALL_CHANNELS.get);
const getMultiChannel = tracingChannel<unknown, CallEvent>(CALL_CHANNELS.getMulti);
const loadChannel = tracingChannel<unknown, LoadEvent>(LOAD_CHANNEL);
const lockWaitChannel = tracingChannel<unknown, LockWaitEvent>(LOCK_WAIT_CHANNEL);
const refreshChannel = tracingChannel<unknown, RefreshEvent>(REFRESH_CHANNEL);

const callEvent = (op: string, keys: string[], view?: string): CallEvent => ({
  op,
  keys,
  keyCount: keys.length,
  outcome: undefined,
  ...(view === undefined ? {} : { view }),
});

/** A traced call whose body settles it with `outcome`, after `body`. */
function call(event: CallEvent, outcome: CallEvent['outcome'], body: () => Promise<void> = async () => {}) {
  return getChannel.tracePromise(async () => {
    await body();
    event.outcome = outcome;
    return 'value';
  }, event);
}

/** A traced loader run of `keys` whose body is `body`. */
function load(keys: string[], body: () => Promise<void>) {
  const event: LoadEvent = { op: 'get', keys, keyCount: keys.length, outcome: undefined };
  return loadChannel.tracePromise(async () => {
    try {
      await body();
      event.outcome = 'loaded';
    } catch (error) {
      event.outcome = 'error';
      throw error;
    }
  }, event);
}

describe('createOtelTracing on published events', () => {
  it('makes a call span under the caller’s span, with a load child under which the loader’s own spans nest', async () => {
    tracing.subscribe();
    let activeInLoader: string | undefined;
    const { caller } = await tracing.inCallerSpan(() =>
      call(callEvent('get', ['users:1'], 'users'), 'loaded', () =>
        load(['users:1'], async () => {
          activeInLoader = activeSpanId();
          tracing.provider.getTracer('app').startSpan('db query').end();
        }),
      ),
    );
    const callSpan = tracing.span('redcache get');
    const loadSpan = tracing.span('redcache load');
    expect(parentOf(callSpan)).toBe(idOf(caller));
    expect(parentOf(loadSpan)).toBe(idOf(callSpan));
    expect(activeInLoader).toBe(idOf(loadSpan));
    expect(parentOf(tracing.span('db query'))).toBe(idOf(loadSpan));
    expect(callSpan.attributes).toEqual({
      [SPAN_ATTRIBUTES.operation]: 'get',
      [SPAN_ATTRIBUTES.view]: 'users',
      [SPAN_ATTRIBUTES.keyCount]: 1,
      [SPAN_ATTRIBUTES.outcome]: 'loaded',
    });
    expect(loadSpan.attributes[SPAN_ATTRIBUTES.loadOutcome]).toBe('loaded');
    expect(callSpan.status.code).toBe(SpanStatusCode.UNSET);
  });

  it('makes no span for a near hit', async () => {
    tracing.subscribe();
    await tracing.inCallerSpan(() => call(callEvent('get', ['k']), 'nearHit'));
    expect(tracing.spans().map((span) => span.name)).toEqual(['caller']);
  });

  it('work a near hit left behind that makes a span after the call settled: under the caller’s span, no call span', async () => {
    tracing.subscribe();
    let later: Promise<void> = Promise.resolve();
    const { caller } = await tracing.inCallerSpan(async () => {
      await call(callEvent('get', ['k']), 'nearHit', async () => {
        later = new Promise((resolve) => setTimeout(resolve, 5)).then(() => {
          tracing.provider.getTracer('app').startSpan('background').end();
        });
      });
      await later;
    });
    expect(tracing.spans().map((span) => span.name)).toEqual(['background', 'caller']);
    expect(parentOf(tracing.span('background'))).toBe(idOf(caller));
  });

  it('a span made inside a read call (a Redis command’s, say) nests under the call span, started for it', async () => {
    tracing.subscribe();
    let active: string | undefined;
    const { caller } = await tracing.inCallerSpan(() =>
      call(callEvent('get', ['k']), 'redisHit', async () => {
        tracing.provider.getTracer('redis').startSpan('GET').end();
        active = activeSpanId();
      }),
    );
    const callSpan = tracing.span('redcache get');
    expect(parentOf(callSpan)).toBe(idOf(caller));
    expect(parentOf(tracing.span('GET'))).toBe(idOf(callSpan));
    expect(active).toBe(idOf(callSpan));
  });

  it('starts no span at all for a near hit (not one started and dropped)', async () => {
    let started = 0;
    const tracer = tracing.provider.getTracer('counted');
    const counting = {
      getTracer: () => ({
        ...tracer,
        startSpan: (...args: Parameters<typeof tracer.startSpan>) => {
          started++;
          return tracer.startSpan(...args);
        },
        startActiveSpan: tracer.startActiveSpan.bind(tracer),
      }),
    };
    tracing.subscribe({ tracerProvider: counting });
    for (let i = 0; i < 100; i++) await call(callEvent('get', ['k']), 'nearHit');
    expect(started).toBe(0);
    await call(callEvent('get', ['k']), 'redisHit');
    expect(started).toBe(1);
  });

  it('makes a span for a near hit with nearHits: true, and one for a Redis hit either way', async () => {
    tracing.subscribe({ nearHits: true });
    await call(callEvent('get', ['k']), 'nearHit');
    await call(callEvent('get', ['k']), 'redisHit');
    const outcomes = tracing.spans().map((span) => span.attributes[SPAN_ATTRIBUTES.outcome]);
    expect(outcomes).toEqual(['nearHit', 'redisHit']);
  });

  it('with nearHits: true a call span starts with the call and is the active span inside it', async () => {
    tracing.subscribe({ nearHits: true });
    let active: string | undefined;
    await call(callEvent('get', ['k']), 'redisHit', async () => {
      active = activeSpanId();
    });
    expect(active).toBe(idOf(tracing.span('redcache get')));
  });

  it('a call span lasts from the call’s start to its end, though it starts only when the call settles', async () => {
    tracing.subscribe();
    await call(callEvent('get', ['k']), 'redisHit', () => new Promise((resolve) => setTimeout(resolve, 30)));
    const [seconds, nanos] = tracing.span('redcache get').duration;
    // A liveness bound only: the span covers the 30 ms the call took.
    expect(seconds * 1e3 + nanos / 1e6).toBeGreaterThanOrEqual(25);
  });

  it('sets ERROR status, error.type and an exception event on a call and a loader run that failed', async () => {
    tracing.subscribe();
    const failure = Object.assign(new Error('db down'), { code: 'LOADER_FAILED' });
    const event = callEvent('get', ['k']);
    await expect(
      getChannel.tracePromise(async () => {
        await load(['k'], async () => {
          throw failure;
        }).catch((error: unknown) => {
          event.outcome = 'error';
          throw error;
        });
      }, event),
    ).rejects.toBe(failure);
    for (const name of ['redcache get', 'redcache load']) {
      const span = tracing.span(name);
      expect(span.status).toEqual({ code: SpanStatusCode.ERROR, message: 'db down' });
      expect(span.attributes[SPAN_ATTRIBUTES.errorType]).toBe('LOADER_FAILED');
      expect(span.events.map((e) => [e.name, e.attributes?.['exception.message']])).toEqual([
        ['exception', 'db down'],
      ]);
    }
    expect(tracing.span('redcache get').attributes[SPAN_ATTRIBUTES.outcome]).toBe('error');
  });

  it('ends the span of a call whose function threw synchronously (no async events follow)', async () => {
    tracing.subscribe();
    const failure = new TypeError('bad key');
    expect(() =>
      getChannel.tracePromise(
        () => {
          throw failure;
        },
        callEvent('get', ['k']),
      ),
    ).toThrow(failure);
    expect(tracing.span('redcache get').attributes[SPAN_ATTRIBUTES.errorType]).toBe('TypeError');
  });

  it('makes a lockWait child of the call span, with how the wait ended', async () => {
    tracing.subscribe();
    await call(callEvent('get', ['k']), 'waited', () => {
      const wait: LockWaitEvent = { op: 'get', keys: ['k'], keyCount: 1, ended: undefined };
      return lockWaitChannel.tracePromise(async () => {
        wait.ended = 'invalidation';
      }, wait);
    });
    const wait = tracing.span('redcache lockWait');
    expect(parentOf(wait)).toBe(idOf(tracing.span('redcache get')));
    expect(wait.attributes[SPAN_ATTRIBUTES.lockWaitEnd]).toBe('invalidation');
  });

  it('a multi-key call carries its per-outcome key counts, and its keys only with keys: true', async () => {
    tracing.subscribe({ keys: true });
    const event = callEvent('getMulti', ['a', 'b', 'c']);
    await getMultiChannel.tracePromise(async () => {
      event.outcome = 'mixed';
      event.counts = { redisHit: 2, loaded: 1 };
    }, event);
    expect(tracing.span('redcache getMulti').attributes).toMatchObject({
      [SPAN_ATTRIBUTES.outcome]: 'mixed',
      'redcache.outcome.redisHit': 2,
      'redcache.outcome.loaded': 1,
      [SPAN_ATTRIBUTES.keys]: ['a', 'b', 'c'],
    });
  });

  it('leaves keys out by default', async () => {
    tracing.subscribe();
    await call(callEvent('get', ['secret:alice']), 'redisHit');
    expect(tracing.span('redcache get').attributes).not.toHaveProperty(SPAN_ATTRIBUTES.keys);
  });

  it('a refresh is the root of its own trace, even run inside a call, and the loader it runs nests under it', async () => {
    tracing.subscribe();
    const event: RefreshEvent = { op: 'get', keys: ['k'], keyCount: 1, outcome: undefined };
    // A worker started from a call runs in that call's context (another call's, often).
    const { caller } = await tracing.inCallerSpan(() =>
      call(callEvent('get', ['other']), 'redisHit', () =>
        refreshChannel.tracePromise(async () => {
          await load(['k'], async () => {});
          event.outcome = 'refreshed';
        }, event),
      ),
    );
    const refresh = tracing.span('redcache refresh');
    expect(refresh.attributes[SPAN_ATTRIBUTES.refreshOutcome]).toBe('refreshed');
    expect(parentOf(refresh)).toBeUndefined();
    expect(refresh.spanContext().traceId).not.toBe(caller.spanContext().traceId);
    const loadSpan = tracing.span('redcache load');
    expect(parentOf(loadSpan)).toBe(idOf(refresh));
    expect(loadSpan.spanContext().traceId).toBe(refresh.spanContext().traceId);
  });

  it('refuses a second subscription while one is open, and takes one again once it is closed', () => {
    const first = tracing.subscribe();
    expect(() => tracing.subscribe()).toThrow(/already subscribed/);
    first.close();
    expect(() => tracing.subscribe()).not.toThrow();
  });

  it('close() unsubscribes: later calls make no span', async () => {
    tracing.subscribe().close();
    await call(callEvent('get', ['k']), 'redisHit');
    expect(tracing.spans()).toEqual([]);
    expect(getChannel.hasSubscribers).toBe(false);
  });

  it('a tracer that throws costs its spans, never the call: no uncaught exception, the loader still runs', async () => {
    const broken = {
      getTracer: () => ({
        startSpan: () => {
          throw new Error('exporter misconfigured');
        },
        startActiveSpan: () => {
          throw new Error('exporter misconfigured');
        },
      }),
    };
    tracing.subscribe({ tracerProvider: broken });
    let loaded = false;
    await call(callEvent('get', ['k']), 'loaded', () =>
      load(['k'], async () => {
        loaded = true;
      }),
    );
    expect(loaded).toBe(true);
    // Node reports a throwing subscriber on the next tick: give it one.
    await new Promise((resolve) => setImmediate(resolve));
  });

  it('with a context manager it cannot reach into, spans and parents are still right, the loader’s context its own', async () => {
    const opaque = {
      active: () => context.active(),
      with: context.with.bind(context),
      bind: context.bind.bind(context),
      enable() {
        return this;
      },
      disable() {
        return this;
      },
    };
    tracing.subscribe({ contextManager: opaque });
    let activeInLoader: string | undefined;
    const { caller } = await tracing.inCallerSpan(() =>
      call(callEvent('get', ['k']), 'loaded', () =>
        load(['k'], async () => {
          activeInLoader = activeSpanId();
        }),
      ),
    );
    const callSpan = tracing.span('redcache get');
    expect(parentOf(callSpan)).toBe(idOf(caller));
    expect(parentOf(tracing.span('redcache load'))).toBe(idOf(callSpan));
    expect(activeInLoader).toBe(idOf(caller));
  });

  it('a loader run outside any traced call takes the active span as parent', async () => {
    tracing.subscribe();
    const { caller } = await tracing.inCallerSpan(() => load(['k'], async () => {}));
    expect(parentOf(tracing.span('redcache load'))).toBe(idOf(caller));
    expect(trace.getActiveSpan()).toBeUndefined();
  });
});
