import {
  type Attributes,
  type Context,
  type Exception,
  type Span,
  SpanKind,
  SpanStatusCode,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import { errorType, SPAN_ATTRIBUTES, startAttributes, type TracedEvent } from './span-attributes.js';
import { SPAN_KEY } from './span-key.js';

/** What every frame of one `createOtelTracing` shares. */
export interface SpanSettings {
  readonly tracer: Tracer;
  /** Whether spans carry the Redis keys (`redcache.keys`). */
  readonly keys: boolean;
}

/**
 * One traced run (a call, a loader run, a lock wait, a refresh) and its span, which starts
 * lazily: a frame is only the event, the parent context and a start time (`performance.now()`,
 * which the SDK reads as a performance timestamp) until something asks for the span — a child
 * that needs it as parent, or the run's end when the run is worth a span. The span is then
 * backdated to the run's start, so its duration is the run's.
 *
 * A frame is also an OTel `Context`: the one its run runs in (bound to the channel's `start`),
 * which is its parent context except that its span is the active one — started the moment
 * anyone asks for it (`trace.getSpan`, a span made inside the run, a context derived from it).
 * So whatever the run does that makes a span (its loader run, a lock wait, the Redis client's
 * instrumented commands) nests under the run's span, and a run nobody asks about (a near hit)
 * never starts one.
 */
export class SpanFrame<E extends TracedEvent = TracedEvent> implements Context {
  #span: Span | undefined = undefined;
  #ended = false;

  /**
   * @param settings - the tracer and options of the `createOtelTracing` that made it
   * @param name - the span's name, e.g. `redcache get`
   * @param event - the channel's event object of the run
   * @param parent - the context that was active when the run started
   * @param startTime - `performance.now()` when the run started
   */
  constructor(
    readonly settings: SpanSettings,
    readonly name: string,
    readonly event: E,
    readonly parent: Context,
    readonly startTime: number,
  ) {}

  /** Whether the span was started (by a child, or by `open`). */
  get started(): boolean {
    return this.#span !== undefined;
  }

  /**
   * The span, started now if it had not started (with the run's start time and the parent).
   *
   * @returns the run's span
   */
  open(): Span {
    this.#span ??= this.settings.tracer.startSpan(
      this.name,
      {
        kind: SpanKind.INTERNAL,
        startTime: this.startTime,
        attributes: startAttributes(this.event, this.settings.keys),
      },
      this.parent,
    );
    return this.#span;
  }

  /**
   * The context a child run takes as its parent: the parent context with this run's span.
   *
   * @returns a context whose active span is this run's (started if it had not), or the
   *   parent's when the run was dropped
   */
  childContext(): Context {
    if (this.#ended && this.#span === undefined) return this.parent;
    return trace.setSpan(this.parent, this.open());
  }

  /** Settles the run without a span: nothing is exported, and later children take its parent. */
  drop(): void {
    this.#ended = true;
  }

  /**
   * The context's value for `key`: the run's span (started now if need be) for the span key,
   * else the parent context's.
   *
   * @param key - a context key
   * @returns its value in the run's context
   */
  getValue(key: symbol): unknown {
    if (key !== SPAN_KEY) return this.parent.getValue(key);
    return this.#ended && this.#span === undefined ? this.parent.getValue(key) : this.open();
  }

  /**
   * A context derived from the run's: the run's span is then started (someone is making
   * something of this run), and the derived context is a plain one.
   *
   * @param key - a context key
   * @param value - its value
   * @returns the run's context with `key` set
   */
  setValue(key: symbol, value: unknown): Context {
    return this.childContext().setValue(key, value);
  }

  /**
   * A context derived from the run's, without `key` (the run's span is then started).
   *
   * @param key - a context key
   * @returns the run's context without `key`
   */
  deleteValue(key: symbol): Context {
    return this.childContext().deleteValue(key);
  }

  /**
   * Marks the span failed: ERROR status with the error's message, an `exception` event, and
   * `error.type`.
   *
   * @param error - what the run rejected or threw with
   */
  fail(error: unknown): void {
    if (this.#ended) return;
    const span = this.open();
    span.recordException(asException(error));
    span.setAttribute(SPAN_ATTRIBUTES.errorType, errorType(error));
    span.setStatus({ code: SpanStatusCode.ERROR, message: messageOf(error) });
  }

  /**
   * Ends the span (starting it first if it had not started); a second call does nothing.
   *
   * @param attributes - what the run's end tells (its outcome)
   */
  end(attributes: Attributes): void {
    if (this.#ended) return;
    this.#ended = true;
    this.open().setAttributes(attributes).end();
  }
}

function asException(error: unknown): Exception {
  if (error instanceof Error || typeof error === 'string') return error;
  return String(error);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
