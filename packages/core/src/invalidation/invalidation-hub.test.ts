import { describe, expect, it } from 'vitest';
import { NearCache } from '../near-cache/near-cache.js';
import { flush } from '../test-support/promise-state.js';
import { InvalidationHub, type PushTicket, type WakeReason } from './invalidation-hub.js';

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

describe('InvalidationHub push counts', () => {
  it('counts pushes per key while a ticket is open; a flush makes every count infinite', () => {
    const hub = new InvalidationHub(undefined);
    const ticket = hub.beginTicket(['k', 'j']);
    expect(ticket.pushes('k')).toBe(0);
    hub.invalidate('k');
    hub.invalidate('k');
    expect(ticket.pushes('k')).toBe(2);
    expect(ticket.pushes('j')).toBe(0);
    hub.invalidate(null);
    expect(ticket.pushes('j')).toBe(Number.POSITIVE_INFINITY);
    ticket.end();
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

describe('InvalidationHub read tickets', () => {
  it('a ticket is clean for every key until something is invalidated', () => {
    const hub = new InvalidationHub(undefined);
    const ticket = hub.beginTicket(['a', 'b']);
    expect(ticket.isClean('a')).toBe(true);
    expect(ticket.isClean('b')).toBe(true);
  });

  it('invalidate(k) during the read marks k only', () => {
    const hub = new InvalidationHub(undefined);
    const ticket = hub.beginTicket(['a', 'b', 'c']);
    hub.invalidate('b');
    expect(ticket.isClean('a')).toBe(true);
    expect(ticket.isClean('b')).toBe(false);
    expect(ticket.isClean('c')).toBe(true);
    hub.invalidate('c');
    expect(ticket.isClean('a')).toBe(true);
    expect(ticket.isClean('b')).toBe(false);
    expect(ticket.isClean('c')).toBe(false);
  });

  it('a key the ticket does not read is not marked on the ticket', () => {
    const hub = new InvalidationHub(undefined);
    const ticket = hub.beginTicket(['a']);
    hub.invalidate('z');
    expect(ticket.isClean('a')).toBe(true);
    expect(ticket.isClean('z')).toBe(true);
  });

  it('invalidate(null) marks every key, and a later invalidate(k) keeps it so', () => {
    const hub = new InvalidationHub(undefined);
    const ticket = hub.beginTicket(['a', 'b']);
    hub.invalidate(null);
    expect(ticket.isClean('a')).toBe(false);
    expect(ticket.isClean('b')).toBe(false);
    expect(ticket.isClean('never-read')).toBe(false);
    hub.invalidate('a');
    expect(ticket.isClean('b')).toBe(false);
  });

  it('invalidate(null) after invalidate(k) marks every key', () => {
    const hub = new InvalidationHub(undefined);
    const ticket = hub.beginTicket(['a', 'b']);
    hub.invalidate('a');
    hub.invalidate(null);
    expect(ticket.isClean('b')).toBe(false);
  });

  it('marks every ticket reading the key', () => {
    const hub = new InvalidationHub(undefined);
    const first = hub.beginTicket(['a']);
    const second = hub.beginTicket(['a', 'b']);
    hub.invalidate('a');
    expect(first.isClean('a')).toBe(false);
    expect(second.isClean('a')).toBe(false);
    expect(second.isClean('b')).toBe(true);
  });

  it('a ticket begun after an invalidation is clean', () => {
    const hub = new InvalidationHub(undefined);
    hub.invalidate('a');
    hub.invalidate(null);
    const ticket = hub.beginTicket(['a']);
    expect(ticket.isClean('a')).toBe(true);
  });

  it('after end() the hub no longer marks the ticket, and invalidations do not throw', () => {
    const hub = new InvalidationHub(undefined);
    const ticket = hub.beginTicket(['a', 'b']);
    ticket.end();
    expect(() => hub.invalidate('a')).not.toThrow();
    expect(() => hub.invalidate(null)).not.toThrow();
    // Still clean: the hub held no reference to it any more.
    expect(ticket.isClean('a')).toBe(true);
    expect(ticket.isClean('b')).toBe(true);
  });

  it('ending one ticket leaves the others of the same key marked', () => {
    const hub = new InvalidationHub(undefined);
    const ended = hub.beginTicket(['a']);
    const live = hub.beginTicket(['a']);
    ended.end();
    hub.invalidate('a');
    expect(live.isClean('a')).toBe(false);
    expect(ended.isClean('a')).toBe(true);
  });

  it('ending twice, or a ticket with a repeated key, is harmless', () => {
    const hub = new InvalidationHub(undefined);
    const repeated = hub.beginTicket(['a', 'a']);
    const live = hub.beginTicket(['a']);
    repeated.end();
    repeated.end();
    hub.invalidate('a');
    expect(live.isClean('a')).toBe(false);
    expect(repeated.isClean('a')).toBe(true);
  });

  it('stays correct after many tickets come and go', () => {
    const hub = new InvalidationHub(undefined);
    const ended: PushTicket[] = [];
    for (let i = 0; i < 10_000; i++) {
      const ticket = hub.beginTicket([`k${i % 50}`, `j${i % 7}`]);
      ticket.end();
      if (i % 1000 === 0) ended.push(ticket);
    }
    const live = hub.beginTicket(['k3']);
    hub.invalidate(null);
    expect(live.isClean('k3')).toBe(false);
    for (const ticket of ended) expect(ticket.isClean('k0')).toBe(true);
  });
});
