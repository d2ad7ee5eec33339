import { CALL_CHANNELS, type CallEvent, newStringCache, StringCodec } from '@redcache/core';
import { describe, expect, it } from 'vitest';
import { useFakeTimedServer } from '../test-support/engine-process.js';
import { REJECTED, RESOLVED, recordRuns } from '../test-support/record-calls.js';

// Issue 13 with issue 14's clear: `clear` is published on `redcache:clear` like the other
// writes (was: it had no channel, so a tracer saw a view's clear as nothing at all).

const env = useFakeTimedServer({ commandTimeoutMs: false });

describe('redcache:clear', () => {
  it('is in CALL_CHANNELS', () => {
    expect(CALL_CHANNELS.clear).toBe('redcache:clear');
  });

  it('a clear publishes start before any work and settles written, with the view and what it removed', async () => {
    const p = env.start();
    const pages = newStringCache(p.conn, StringCodec, { name: 'pages', prefix: 'pages:' });
    await pages.forceSetMulti(
      new Map([
        ['a', 'A'],
        ['b', 'B'],
      ]),
      60_000,
    );
    const runs = recordRuns<CallEvent>([CALL_CHANNELS.clear]);
    expect(await pages.clear()).toBe(2);
    expect(runs()).toEqual([
      {
        channel: 'redcache:clear',
        kinds: RESOLVED,
        event: { op: 'clear', view: 'pages', keys: [], keyCount: 0, outcome: 'written', result: 2 },
      },
    ]);
  });

  it('a clear that fails (a view without a prefix) publishes error', async () => {
    const p = env.start();
    const plain = newStringCache(p.conn, StringCodec, { name: 'plain' });
    const runs = recordRuns<CallEvent>([CALL_CHANNELS.clear]);
    await expect(plain.clear()).rejects.toBeInstanceOf(TypeError);
    const [run] = runs();
    expect(run).toMatchObject({ channel: 'redcache:clear', kinds: REJECTED });
    expect(run!.event).toMatchObject({ op: 'clear', view: 'plain', outcome: 'error' });
  });
});
