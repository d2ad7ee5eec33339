import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { deferred, stateOf } from '../test-support/promise-state.js';
import { DeadlineQueue } from './deadline-queue.js';

beforeEach(() => {
  // setImmediate stays real: stateOf waits on it.
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
});
afterEach(() => {
  vi.useRealTimers();
});

const timeout = (label: string) => () => new Error(`timed out: ${label}`);

/** `promise`, with its rejection handled from the start (the tests observe it later). */
function handled<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => {});
  return promise;
}

describe('DeadlineQueue', () => {
  it('passes a reply through before the deadline; its timer ends at that deadline (was: cleared per send)', async () => {
    const queue = new DeadlineQueue(100);
    const reply = deferred<string>();
    const bounded = queue.bound(reply.promise, timeout('a'));
    expect(vi.getTimerCount()).toBe(1);
    reply.resolve('v');
    await expect(bounded).resolves.toBe('v');
    expect(queue.size).toBe(0);
    expect(vi.getTimerCount()).toBe(1);
    await vi.advanceTimersByTimeAsync(100);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('passes a failure through before the deadline', async () => {
    const queue = new DeadlineQueue(100);
    const reply = deferred<string>();
    const bounded = queue.bound(reply.promise, timeout('a'));
    reply.reject(new Error('lost'));
    await expect(bounded).rejects.toThrow('lost');
    await vi.advanceTimersByTimeAsync(100);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('sends one after the other share the timer armed by the first, and each is still bounded', async () => {
    const queue = new DeadlineQueue(100);
    for (let index = 0; index < 5; index++) {
      const reply = deferred<string>();
      const bounded = queue.bound(reply.promise, timeout(`quick ${index}`));
      await vi.advanceTimersByTimeAsync(10);
      reply.resolve('v');
      await expect(bounded).resolves.toBe('v');
      expect(vi.getTimerCount()).toBe(1);
    }
    // At 50 ms: the timer set for the first send's deadline fires at 100 ms; the send still in
    // flight then gets its own deadline (150 ms), not the first's.
    const slow = handled(queue.bound(deferred<string>().promise, timeout('slow')));
    await vi.advanceTimersByTimeAsync(50);
    expect(vi.getTimerCount()).toBe(1);
    expect((await stateOf(slow)).state).toBe('pending');
    await vi.advanceTimersByTimeAsync(49);
    expect((await stateOf(slow)).state).toBe('pending');
    await vi.advanceTimersByTimeAsync(1);
    expect(await stateOf(slow)).toEqual({ state: 'rejected', error: new Error('timed out: slow') });
    expect(vi.getTimerCount()).toBe(0);
  });

  it("rejects with onTimeout's error once the deadline passes, not before; the late reply is ignored", async () => {
    const queue = new DeadlineQueue(100);
    const reply = deferred<string>();
    const bounded = handled(queue.bound(reply.promise, timeout('a')));
    await vi.advanceTimersByTimeAsync(99);
    expect((await stateOf(bounded)).state).toBe('pending');
    await vi.advanceTimersByTimeAsync(1);
    const state = await stateOf(bounded);
    expect(state).toEqual({ state: 'rejected', error: new Error('timed out: a') });
    reply.resolve('late');
    expect(await stateOf(bounded)).toEqual(state);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('bounds many sends in flight with one timer, expiring each at its own deadline', async () => {
    const queue = new DeadlineQueue(100);
    const first = handled(queue.bound(deferred<string>().promise, timeout('first')));
    await vi.advanceTimersByTimeAsync(30);
    const replies = Array.from({ length: 100 }, () => deferred<string>());
    const later = replies.map((reply, index) =>
      handled(queue.bound(reply.promise, timeout(`later ${index}`))),
    );
    expect(vi.getTimerCount()).toBe(1);

    await vi.advanceTimersByTimeAsync(70);
    expect((await stateOf(first)).state).toBe('rejected');
    replies[0]!.resolve('answered');
    await expect(later[0]).resolves.toBe('answered');
    for (const bounded of later.slice(1)) expect((await stateOf(bounded)).state).toBe('pending');
    expect(vi.getTimerCount()).toBe(1);

    await vi.advanceTimersByTimeAsync(30);
    const states = await Promise.all(later.slice(1).map(stateOf));
    expect(states.every((state) => state.state === 'rejected')).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
    expect(queue.size).toBe(0);
  });

  it('drops sends that settled behind a pending head once the head goes', async () => {
    const queue = new DeadlineQueue(100);
    const head = deferred<string>();
    const headBounded = queue.bound(head.promise, timeout('head'));
    const behind = Array.from({ length: 10 }, () => deferred<string>());
    const bounded = behind.map((reply) => queue.bound(reply.promise, timeout('behind')));
    for (const reply of behind) reply.resolve('ok');
    await Promise.all(bounded);
    expect(queue.size).toBe(11);
    head.resolve('ok');
    await headBounded;
    expect(queue.size).toBe(0);
    await vi.advanceTimersByTimeAsync(100);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('close() stops the timer', async () => {
    const queue = new DeadlineQueue(100);
    const bounded = queue.bound(deferred<string>().promise, timeout('a'));
    queue.close();
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(200);
    expect((await stateOf(bounded)).state).toBe('pending');
  });
});
