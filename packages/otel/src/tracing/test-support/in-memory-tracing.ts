import { type Context, context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { afterAll, afterEach } from 'vitest';
import { createOtelTracing, type OtelTracing, type OtelTracingOptions } from '../create-otel-tracing.js';

/** The test's tracer: spans land in an in-memory exporter as they end. */
export interface InMemoryTracing {
  readonly provider: BasicTracerProvider;
  readonly exporter: InMemorySpanExporter;
  /** Subscribes `createOtelTracing` (with this provider unless given another); closed after each test. */
  subscribe(options?: OtelTracingOptions): OtelTracing;
  /** The ended spans so far. */
  spans(): ReadableSpan[];
  /** The one ended span named `name` (fails if there are none or several). */
  span(name: string): ReadableSpan;
  /** Runs `fn` inside a span of the test's own (the caller's span), and returns both. */
  inCallerSpan<T>(fn: () => Promise<T>): Promise<{ result: T; caller: ReadableSpan }>;
}

/**
 * An OTel SDK for a test file, as an app registers it: an `AsyncLocalStorageContextManager`
 * set as the global context manager, and a tracer provider that exports to memory. Call it
 * at the top level of the file (it adds `afterEach` and `afterAll`).
 */
export function useInMemoryTracing(): InMemoryTracing {
  const manager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(manager);
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const open: OtelTracing[] = [];
  afterEach(() => {
    for (const tracing of open.splice(0)) tracing.close();
    exporter.reset();
  });
  afterAll(() => {
    context.disable();
  });
  const spans = () => exporter.getFinishedSpans();
  return {
    provider,
    exporter,
    subscribe(options = {}) {
      const tracing = createOtelTracing({ tracerProvider: provider, ...options });
      open.push(tracing);
      return tracing;
    },
    spans,
    span(name) {
      const named = spans().filter((span) => span.name === name);
      if (named.length !== 1) throw new Error(`${named.length} spans named ${name}: ${names(spans())}`);
      return named[0]!;
    },
    async inCallerSpan(fn) {
      const tracer = provider.getTracer('test');
      const result = await tracer.startActiveSpan('caller', async (span) => {
        try {
          return await fn();
        } finally {
          span.end();
        }
      });
      return { result, caller: this.span('caller') };
    },
  };
}

/** The span id of `span`'s parent, if it has one. */
export const parentOf = (span: ReadableSpan): string | undefined => span.parentSpanContext?.spanId;

/** The span id of `span`. */
export const idOf = (span: ReadableSpan): string => span.spanContext().spanId;

const names = (spans: readonly ReadableSpan[]) => spans.map((span) => span.name).join(', ') || 'none';

/** The span active in `ctx` (the active context by default), if any. */
export const activeSpanId = (ctx: Context = context.active()): string | undefined =>
  trace.getSpan(ctx)?.spanContext().spanId;
