import { AsyncLocalStorage } from 'node:async_hooks';
import { type Context, type ContextManager, type TracerProvider, trace } from '@opentelemetry/api';
import {
  CALL_CHANNELS,
  type CallEvent,
  LOAD_CHANNEL,
  LOCK_WAIT_CHANNEL,
  REFRESH_CHANNEL,
  type RefreshEvent,
} from '@redcache/core';
import { VERSION } from '../version.js';
import { contextStorage } from './context-storage.js';
import type { SpanSettings } from './span-frame.js';
import { callSpec, refreshSpec, traceParentChannel } from './trace-calls.js';
import { loadSpec, lockWaitSpec, traceChildChannel } from './trace-children.js';

/** What `createOtelTracing` takes; every option is optional. */
export interface OtelTracingOptions {
  /** Where the tracer comes from. Default: the global one, `trace.getTracerProvider()`. */
  tracerProvider?: TracerProvider;
  /** The tracer's instrumentation-scope name. Default: `@redcache/otel` (its version is this package's). */
  tracerName?: string;
  /**
   * Whether a call that was served from the near cache gets a span. Default: false — near hits
   * are the hot path (a span each would cost more than the hit), and a subscriber to
   * `redcache:get` sees every call.
   */
  nearHits?: boolean;
  /**
   * Whether spans carry the call's Redis keys (`redcache.keys`). Default: false — keys may be
   * personal data (`user:alice@example.com`), and a `getMulti`'s can be many.
   */
  keys?: boolean;
  /**
   * The OTel context manager whose storage the loader span is made active in, so the loader's
   * own spans nest under it. Default: the one registered with the API (`NodeSDK` registers an
   * `AsyncLocalStorageContextManager`). Without one that keeps an `AsyncLocalStorage`, the
   * spans are still made, but the loader's own spans nest under the caller's span.
   */
  contextManager?: ContextManager;
}

/** What `createOtelTracing` returns: the subscription to redcache's channels. */
export interface OtelTracing {
  /**
   * Unsubscribes from every channel. Runs still in flight then get no end event: their spans,
   * if started, are never ended, so never exported.
   */
  close(): void;
}

/** Set on `globalThis` while a `createOtelTracing` is subscribed (by any copy of this package). */
const SUBSCRIBED = Symbol.for('@redcache/otel.tracing.subscribed');

/** The default instrumentation-scope name of the tracer. */
export const DEFAULT_TRACER_NAME = '@redcache/otel';

/**
 * Subscribes to redcache's TracingChannels (every call channel in `CALL_CHANNELS`,
 * `redcache:refresh`, `redcache:load`, `redcache:lockWait`) and makes OpenTelemetry spans: one
 * per call (`redcache get`, …) whose parent is the caller's active span, a child `redcache load`
 * for a loader run (active while the loader runs, so its own spans nest under it), a child
 * `redcache lockWait` for a wait on another caller's or process's lock, and `redcache refresh`
 * for a background refresh-ahead run. A failure sets the span's status to ERROR and records the
 * exception. No span for a near hit unless `nearHits`. Call it once per process, after the OTel
 * SDK is registered (the context manager is looked up here); see docs/tracing-channels.md.
 *
 * @param options - the tracer provider and name, near hits, keys, the context manager
 * @returns the subscription, to `close()` when tracing should stop
 * @throws Error when a `createOtelTracing` is already subscribed in this process (not closed):
 *   two would bind the same context storage. A tracer that fails later is reported to OTel's
 *   `diag` logger, never to the cache call it traces.
 * @example
 * ```ts
 * import { createOtelTracing } from '@redcache/otel';
 *
 * // After the OTel SDK is started (NodeSDK registers its tracer provider and context manager):
 * const tracing = createOtelTracing();
 * // Every cache call now makes a span under the caller's; at shutdown:
 * tracing.close();
 * ```
 */
export function createOtelTracing(options: OtelTracingOptions = {}): OtelTracing {
  const flags = globalThis as { [SUBSCRIBED]?: boolean };
  if (flags[SUBSCRIBED] === true) {
    throw new Error(
      'createOtelTracing: already subscribed in this process (two would bind the same context storage); close() the first',
    );
  }
  const provider = options.tracerProvider ?? trace.getTracerProvider();
  const settings: SpanSettings = {
    tracer: provider.getTracer(options.tracerName ?? DEFAULT_TRACER_NAME, VERSION),
    keys: options.keys ?? false,
  };
  const nearHits = options.nearHits ?? false;
  // Without OTel's storage, a private one still links each run to its call (not user code).
  const storage = contextStorage(options.contextManager) ?? new AsyncLocalStorage<Context>();
  const stops = [
    ...Object.entries(CALL_CHANNELS).map(([op, name]) =>
      traceParentChannel<CallEvent>(name, settings, storage, callSpec(op, nearHits)),
    ),
    traceParentChannel<RefreshEvent>(REFRESH_CHANNEL, settings, storage, refreshSpec),
    traceChildChannel(LOAD_CHANNEL, settings, storage, loadSpec),
    traceChildChannel(LOCK_WAIT_CHANNEL, settings, storage, lockWaitSpec),
  ];
  flags[SUBSCRIBED] = true;
  let closed = false;
  return {
    close() {
      if (closed) return;
      closed = true;
      for (const stop of stops) stop();
      flags[SUBSCRIBED] = false;
    },
  };
}
