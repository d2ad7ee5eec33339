import { tracingChannel } from 'node:diagnostics_channel';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LOAD_CHANNEL } from './channel-names.js';
import type { LoadEvent } from './load-event.js';
import { traceLoad } from './trace-load.js';
import { loadChannel } from './tracing-channels.js';

const seen: Array<[string, LoadEvent]> = [];
const handlers = {
  start: (e: LoadEvent) => seen.push(['start', { ...e }]),
  end: (e: LoadEvent) => seen.push(['end', { ...e }]),
  asyncStart: (e: LoadEvent) => seen.push(['asyncStart', { ...e }]),
  asyncEnd: (e: LoadEvent) => seen.push(['asyncEnd', { ...e }]),
  error: (e: LoadEvent) => seen.push(['error', { ...e }]),
};
const subscribe = () => tracingChannel<LoadEvent, LoadEvent>(LOAD_CHANNEL).subscribe(handlers);

afterEach(() => {
  tracingChannel<LoadEvent, LoadEvent>(LOAD_CHANNEL).unsubscribe(handlers);
  seen.length = 0;
});

describe('traceLoad', () => {
  it('core’s channel is the one named redcache:load, with no subscriber until one subscribes', () => {
    expect(loadChannel.hasSubscribers).toBe(false);
    subscribe();
    expect(loadChannel.hasSubscribers).toBe(true);
  });

  it('marks a run that resolved loaded before asyncStart, and never asks why it failed', async () => {
    subscribe();
    const failed = vi.fn(() => 'error' as const);
    expect(await traceLoad('get', 'pages', ['k'], async () => 'v', failed)).toBe('v');
    expect(seen.map(([kind]) => kind)).toEqual(['start', 'end', 'asyncStart', 'asyncEnd']);
    expect(seen[2]![1]).toMatchObject({
      op: 'get',
      view: 'pages',
      keys: ['k'],
      keyCount: 1,
      outcome: 'loaded',
      result: 'v',
    });
    expect(failed).not.toHaveBeenCalled();
  });

  it('marks a run that rejected with what `failed` names, and rethrows its error', async () => {
    subscribe();
    const error = new Error('db down');
    await expect(
      traceLoad(
        'getMulti',
        undefined,
        ['a', 'b'],
        () => Promise.reject(error),
        () => 'aborted',
      ),
    ).rejects.toBe(error);
    expect(seen.map(([kind]) => kind)).toEqual(['start', 'end', 'error', 'asyncStart', 'asyncEnd']);
    expect(seen[2]![1]).toMatchObject({ op: 'getMulti', keyCount: 2, outcome: 'aborted', error });
  });
});
