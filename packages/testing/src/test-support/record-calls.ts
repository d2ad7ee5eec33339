import { tracingChannel } from 'node:diagnostics_channel';
import { onTestFinished } from 'vitest';

/** The five events of a TracingChannel, in the order Node may publish them. */
export type TraceKind = 'start' | 'end' | 'asyncStart' | 'asyncEnd' | 'error';

/** One published event: the channel, its kind, and a copy of the context object as it was then. */
export interface Published<E> {
  readonly channel: string;
  readonly kind: TraceKind;
  readonly event: E;
  /** The context object itself (the same one in every event of one run). */
  readonly context: object;
}

/**
 * Subscribes to every event of each of `channels` until the test ends; `seen` holds what was
 * published, in order, across them all. Call it inside a test.
 */
export function recordChannels<E extends object>(channels: readonly string[]) {
  const seen: Published<E>[] = [];
  const subscriptions = channels.map((name) => {
    const on = (kind: TraceKind) => (event: E) => {
      seen.push({ channel: name, kind, event: { ...event }, context: event });
    };
    const handlers = {
      start: on('start'),
      end: on('end'),
      asyncStart: on('asyncStart'),
      asyncEnd: on('asyncEnd'),
      error: on('error'),
    };
    tracingChannel<E, E>(name).subscribe(handlers);
    return () => tracingChannel<E, E>(name).unsubscribe(handlers);
  });
  onTestFinished(() => {
    for (const unsubscribe of subscriptions) unsubscribe();
  });
  return {
    seen,
    /** `channel kind` of each event so far. */
    kinds: () => seen.map((p) => `${p.channel} ${p.kind}`),
    /** The last event published (its copy). */
    last: () => seen[seen.length - 1]!.event,
    clear: () => {
      seen.length = 0;
    },
  };
}

/** One traced run: its channel, the kinds of its events in order, and its event as it ended. */
export interface Run<E> {
  readonly channel: string;
  readonly kinds: string;
  readonly event: E;
}

/** What `seen` published, one entry per run (context object), in the order the runs started. */
export function runsOf<E>(seen: readonly Published<E>[]): Run<E>[] {
  const runs = new Map<object, { channel: string; kinds: TraceKind[]; event: E }>();
  for (const p of seen) {
    const run = runs.get(p.context);
    if (run === undefined) runs.set(p.context, { channel: p.channel, kinds: [p.kind], event: p.event });
    else {
      run.kinds.push(p.kind);
      run.event = p.event;
    }
  }
  return [...runs.values()].map((run) => ({ ...run, kinds: run.kinds.join(' ') }));
}

/**
 * Records every event of `channels` until the test ends (call it inside a test); each call of
 * the function it returns gives the runs published since the previous call.
 */
export function recordRuns<E extends object>(channels: readonly string[]): () => Run<E>[] {
  const recorder = recordChannels<E>(channels);
  return () => {
    const runs = runsOf(recorder.seen);
    recorder.clear();
    return runs;
  };
}

/** The kinds of a run that resolved, and of one that rejected. */
export const RESOLVED = 'start end asyncStart asyncEnd';
export const REJECTED = 'start end error asyncStart asyncEnd';
