import { describe, expect, it } from 'vitest';
import { NearCache } from '../near-cache/near-cache.js';
import { flush } from '../test-support/promise-state.js';
import { InvalidationHub, type PushVerdict, type WakeReason } from './invalidation-hub.js';

/** A near-cache value of `bytes` stored bytes. */
const stored = (value: unknown, codec: object, bytes: number) => ({
  value,
  codec,
  raw: new Uint8Array(bytes),
  deltaNs: 0,
});

const PENDING = Symbol('pending');

/** Lets every queued microtask (and promise chain) run. */

/** The value `promise` has settled with, or PENDING, after flushing microtasks. */
async function settledValue<T>(promise: Promise<T>): Promise<T | typeof PENDING> {
  await flush();
  return Promise.race([promise, Promise.resolve(PENDING)]);
}

const codec = {};

describe('InvalidationHub waiters', () => {
  it('wakes a waiter of k with "invalidation" on invalidate(k)', async () => {
    const hub = new InvalidationHub(undefined);
    const waiter = hub.register('k');
    expect(waiter.key).toBe('k');
    hub.invalidate('k');
    expect(await settledValue(waiter.changed)).toBe('invalidation');
  });

  it('does not wake a waiter of k on invalidate(other)', async () => {
    const hub = new InvalidationHub(undefined);
    const waiter = hub.register('k');
    hub.invalidate('other');
    hub.invalidate('k2');
    expect(await settledValue(waiter.changed)).toBe(PENDING);
  });

  it('wakes every waiter of the key, and only them', async () => {
    const hub = new InvalidationHub(undefined);
    const first = hub.register('k');
    const second = hub.register('k');
    const other = hub.register('j');
    hub.invalidate('k');
    expect(await settledValue(first.changed)).toBe('invalidation');
    expect(await settledValue(second.changed)).toBe('invalidation');
    expect(await settledValue(other.changed)).toBe(PENDING);
  });

  it('wakes every waiter with "flush" on invalidate(null)', async () => {
    const hub = new InvalidationHub(undefined);
    const waiters = ['a', 'b', 'b', 'c'].map((key) => hub.register(key));
    hub.invalidate(null);
    const reasons = await Promise.all(waiters.map((w) => settledValue(w.changed)));
    expect(reasons).toEqual<WakeReason[]>(['flush', 'flush', 'flush', 'flush']);
  });

  it('does not wake a disposed waiter, by key or by flush', async () => {
    const hub = new InvalidationHub(undefined);
    const disposed = hub.register('k');
    const kept = hub.register('k');
    disposed.dispose();
    hub.invalidate('k');
    hub.invalidate(null);
    expect(await settledValue(disposed.changed)).toBe(PENDING);
    expect(await settledValue(kept.changed)).toBe('invalidation');
  });

  it('a waiter registered after an invalidation waits for the next one', async () => {
    const hub = new InvalidationHub(undefined);
    hub.invalidate('k');
    hub.invalidate(null);
    const waiter = hub.register('k');
    expect(await settledValue(waiter.changed)).toBe(PENDING);
    hub.invalidate('k');
    expect(await settledValue(waiter.changed)).toBe('invalidation');
  });

  it('disposing a woken waiter late does not unregister a newer waiter of the same key', async () => {
    const hub = new InvalidationHub(undefined);
    const old = hub.register('k');
    hub.invalidate('k');
    const newer = hub.register('k');
    old.dispose();
    old.dispose();
    hub.invalidate('k');
    expect(await settledValue(newer.changed)).toBe('invalidation');
  });

  it('disposing after a flush does not unregister a newer waiter', async () => {
    const hub = new InvalidationHub(undefined);
    const old = hub.register('k');
    hub.invalidate(null);
    const newer = hub.register('k');
    old.dispose();
    hub.invalidate('k');
    expect(await settledValue(old.changed)).toBe('flush');
    expect(await settledValue(newer.changed)).toBe('invalidation');
  });

  it('stays correct across many registered and disposed waiters', async () => {
    const hub = new InvalidationHub(undefined);
    for (let i = 0; i < 10_000; i++) hub.register(`k${i % 100}`).dispose();
    const live = hub.register('k7');
    const disposed = hub.register('k7');
    disposed.dispose();
    hub.invalidate('k7');
    expect(await settledValue(live.changed)).toBe('invalidation');
    expect(await settledValue(disposed.changed)).toBe(PENDING);
  });
});

/** A tracked send that answers when the test says: `answer()` (or `fail()`), then `tracked`. */
function inFlight(hub: InvalidationHub, keys: readonly string[]) {
  let answer!: () => void;
  let fail!: (error: Error) => void;
  const tracked = hub.track(
    keys,
    () =>
      new Promise<void>((resolve, reject) => {
        answer = resolve;
        fail = reject;
      }),
  );
  return { tracked, answer, fail };
}

/** The verdict of a tracked send, once it answers now. */
async function verdictOf(send: ReturnType<typeof inFlight>): Promise<PushVerdict> {
  send.answer();
  return (await send.tracked).verdict;
}

describe('InvalidationHub push counts', () => {
  it('counts pushes per key while the send is in flight; a flush makes every count infinite', async () => {
    const hub = new InvalidationHub(undefined);
    const first = inFlight(hub, ['k', 'j']);
    hub.invalidate('k');
    hub.invalidate('k');
    const counted = await verdictOf(first);
    expect(counted.pushes('k')).toBe(2);
    expect(counted.pushes('j')).toBe(0);
    const second = inFlight(hub, ['k', 'j']);
    hub.invalidate(null);
    expect((await verdictOf(second)).pushes('j')).toBe(Number.POSITIVE_INFINITY);
  });

  it("issue 10 (defects 2, 3): the verdict comes only once the last slot group answered: a push after the first group's answer counts", async () => {
    const hub = new InvalidationHub(undefined);
    const answers: Array<(reply: string) => void> = [];
    const group = () => new Promise<string>((resolve) => answers.push(resolve));
    const tracked = hub.track(['a', 'b'], () => Promise.all([group(), group()]));
    answers[0]!('a answered');
    await flush();
    hub.invalidate('a');
    answers[1]!('b answered');
    const { result, verdict } = await tracked;
    expect(result).toEqual(['a answered', 'b answered']);
    expect(verdict.isClean('a')).toBe(false);
    expect(verdict.pushes('a')).toBe(1);
    expect(verdict.isClean('b')).toBe(true);
  });

  it('a send that rejects: track rejects with its error, and the keys are no longer tracked', async () => {
    const hub = new InvalidationHub(undefined);
    const failing = inFlight(hub, ['a']);
    failing.fail(new Error('connection lost'));
    await expect(failing.tracked).rejects.toThrow('connection lost');
    const live = inFlight(hub, ['a']);
    hub.invalidate('a');
    expect((await verdictOf(live)).pushes('a')).toBe(1);
  });
});

describe('InvalidationHub near cache', () => {
  it('invalidate(k) deletes the entry of k and no other', () => {
    const near = new NearCache({ maxEntries: 10, maxBytes: 1000 });
    near.set('k', stored('v', codec, 10), Number.POSITIVE_INFINITY);
    near.set('j', stored('w', codec, 20), Number.POSITIVE_INFINITY);
    const hub = new InvalidationHub(near);
    hub.invalidate('k');
    expect(near.get('k', codec, 0)).toBeUndefined();
    expect(near.get('j', codec, 0)?.value).toBe('w');
    expect(near.size).toBe(1);
    expect(near.bytes).toBe(21);
  });

  it('invalidate(null) clears the near cache', () => {
    const near = new NearCache({ maxEntries: 10, maxBytes: 1000 });
    near.set('k', stored('v', codec, 10), Number.POSITIVE_INFINITY);
    near.set('j', stored('w', codec, 20), Number.POSITIVE_INFINITY);
    const hub = new InvalidationHub(near);
    hub.invalidate(null);
    expect(near.size).toBe(0);
    expect(near.bytes).toBe(0);
  });

  it('works without a near cache', async () => {
    const hub = new InvalidationHub(undefined);
    const waiter = hub.register('k');
    expect(() => hub.invalidate('k')).not.toThrow();
    expect(() => hub.invalidate(null)).not.toThrow();
    expect(await settledValue(waiter.changed)).toBe('invalidation');
  });
});

describe('InvalidationHub verdicts of reads', () => {
  it('is clean for every key when nothing is invalidated', async () => {
    const hub = new InvalidationHub(undefined);
    const verdict = await verdictOf(inFlight(hub, ['a', 'b']));
    expect(verdict.isClean('a')).toBe(true);
    expect(verdict.isClean('b')).toBe(true);
  });

  it('invalidate(k) during the read marks k only', async () => {
    const hub = new InvalidationHub(undefined);
    const read = inFlight(hub, ['a', 'b', 'c']);
    hub.invalidate('b');
    hub.invalidate('c');
    const verdict = await verdictOf(read);
    expect(verdict.isClean('a')).toBe(true);
    expect(verdict.isClean('b')).toBe(false);
    expect(verdict.isClean('c')).toBe(false);
  });

  it('a key the read does not track is not marked', async () => {
    const hub = new InvalidationHub(undefined);
    const read = inFlight(hub, ['a']);
    hub.invalidate('z');
    const verdict = await verdictOf(read);
    expect(verdict.isClean('a')).toBe(true);
    expect(verdict.isClean('z')).toBe(true);
  });

  it('invalidate(null) marks every key, and a later invalidate(k) keeps it so', async () => {
    const hub = new InvalidationHub(undefined);
    const read = inFlight(hub, ['a', 'b']);
    hub.invalidate(null);
    hub.invalidate('a');
    const verdict = await verdictOf(read);
    expect(verdict.isClean('a')).toBe(false);
    expect(verdict.isClean('b')).toBe(false);
    expect(verdict.isClean('never-read')).toBe(false);
  });

  it('invalidate(null) after invalidate(k) marks every key', async () => {
    const hub = new InvalidationHub(undefined);
    const read = inFlight(hub, ['a', 'b']);
    hub.invalidate('a');
    hub.invalidate(null);
    expect((await verdictOf(read)).isClean('b')).toBe(false);
  });

  it('marks every read in flight of the key', async () => {
    const hub = new InvalidationHub(undefined);
    const first = inFlight(hub, ['a']);
    const second = inFlight(hub, ['a', 'b']);
    hub.invalidate('a');
    expect((await verdictOf(first)).isClean('a')).toBe(false);
    const verdict = await verdictOf(second);
    expect(verdict.isClean('a')).toBe(false);
    expect(verdict.isClean('b')).toBe(true);
  });

  it('a read begun after an invalidation is clean', async () => {
    const hub = new InvalidationHub(undefined);
    hub.invalidate('a');
    hub.invalidate(null);
    expect((await verdictOf(inFlight(hub, ['a']))).isClean('a')).toBe(true);
  });

  it('once the send settled, later invalidations neither change the verdict nor throw', async () => {
    const hub = new InvalidationHub(undefined);
    const verdict = await verdictOf(inFlight(hub, ['a', 'b']));
    expect(() => hub.invalidate('a')).not.toThrow();
    expect(() => hub.invalidate(null)).not.toThrow();
    expect(verdict.isClean('a')).toBe(true);
    expect(verdict.isClean('b')).toBe(true);
  });

  it('a settled read leaves the others of the same key marked', async () => {
    const hub = new InvalidationHub(undefined);
    const settled = await verdictOf(inFlight(hub, ['a']));
    const live = inFlight(hub, ['a']);
    hub.invalidate('a');
    expect((await verdictOf(live)).isClean('a')).toBe(false);
    expect(settled.isClean('a')).toBe(true);
  });

  it('a one-key send counts its own key only, and a flush over it is infinite', async () => {
    const hub = new InvalidationHub(undefined);
    const one = inFlight(hub, ['k']);
    hub.invalidate('j');
    hub.invalidate('k');
    hub.invalidate('k');
    const counted = await verdictOf(one);
    expect(counted.pushes('k')).toBe(2);
    expect(counted.pushes('j')).toBe(0);
    expect(counted.isClean('j')).toBe(true);
    const flushed = inFlight(hub, ['k']);
    hub.invalidate('k');
    hub.invalidate(null);
    hub.invalidate('k');
    expect((await verdictOf(flushed)).pushes('k')).toBe(Number.POSITIVE_INFINITY);
  });

  it('a repeated key is counted once per push', async () => {
    const hub = new InvalidationHub(undefined);
    const repeated = inFlight(hub, ['a', 'a']);
    hub.invalidate('a');
    expect((await verdictOf(repeated)).pushes('a')).toBe(1);
    const live = inFlight(hub, ['a']);
    hub.invalidate('a');
    expect((await verdictOf(live)).pushes('a')).toBe(1);
  });

  it('stays correct after many reads come and go', async () => {
    const hub = new InvalidationHub(undefined);
    const settled: PushVerdict[] = [];
    for (let i = 0; i < 10_000; i++) {
      const verdict = await verdictOf(inFlight(hub, [`k${i % 50}`, `j${i % 7}`]));
      if (i % 1000 === 0) settled.push(verdict);
    }
    const live = inFlight(hub, ['k3']);
    hub.invalidate(null);
    expect((await verdictOf(live)).isClean('k3')).toBe(false);
    for (const verdict of settled) expect(verdict.isClean('k0')).toBe(true);
  });
});
