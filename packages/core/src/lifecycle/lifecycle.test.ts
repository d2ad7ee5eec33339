import { getEventListeners } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ClosedError } from '../errors/errors.js';
import { deferred } from '../test-support/promise-state.js';
import { Lifecycle } from './lifecycle.js';
import { untilAborted } from './until-aborted.js';

/** Resolves `work`'s result into `box.value` as it settles, for checking without awaiting it. */
function watch<T>(work: Promise<T>): { value: T | undefined; settled: boolean } {
  const box: { value: T | undefined; settled: boolean } = { value: undefined, settled: false };
  void work.then((value) => {
    box.value = value;
    box.settled = true;
  });
  return box;
}

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('Lifecycle.begin', () => {
  it('registers each operation until it ends', () => {
    const lifecycle = new Lifecycle();
    const a = lifecycle.begin('get', 'a');
    const b = lifecycle.begin('set', 'b');
    expect(lifecycle.operations).toBe(2);
    a.end();
    a.end();
    expect(lifecycle.operations).toBe(1);
    expect(a.ended).toBe(true);
    expect(b.ended).toBe(false);
    b.end();
    expect(lifecycle.operations).toBe(0);
  });

  it('gives each operation a live signal of its own', () => {
    const lifecycle = new Lifecycle();
    const a = lifecycle.begin('get', 'a');
    const b = lifecycle.begin('get', 'b');
    a.abort(new Error('gone'));
    expect(a.signal.aborted).toBe(true);
    expect(b.signal.aborted).toBe(false);
  });
});

describe('Lifecycle.stop', () => {
  it('begin and assertOpen then throw ClosedError naming op and key', () => {
    const lifecycle = new Lifecycle();
    expect(() => lifecycle.assertOpen('get', 'k')).not.toThrow();
    lifecycle.stop();
    expect(lifecycle.isOpen).toBe(false);
    for (const call of [
      () => lifecycle.begin('set', 'user:1'),
      () => lifecycle.assertOpen('set', 'user:1'),
    ]) {
      expect(call).toThrow(ClosedError);
      expect(call).toThrow(expect.objectContaining({ op: 'set', key: 'user:1' }));
      expect(call).toThrow(`(set "user:1")`);
    }
    expect(lifecycle.operations).toBe(0);
  });

  it('aborts every operation with a ClosedError', () => {
    const lifecycle = new Lifecycle();
    const caller = new AbortController();
    const operations = [lifecycle.begin('get', 'a'), lifecycle.begin('set', 'b', caller.signal)];
    lifecycle.stop();
    for (const operation of operations) {
      expect(operation.signal.aborted).toBe(true);
      expect(operation.signal.reason).toBeInstanceOf(ClosedError);
    }
    // The caller giving up afterwards changes nothing: the first reason stays.
    caller.abort(new Error('caller'));
    expect(operations[1]!.signal.reason).toBeInstanceOf(ClosedError);
  });

  it('leaves ended operations alone', () => {
    const lifecycle = new Lifecycle();
    const operation = lifecycle.begin('get', 'a');
    operation.end();
    lifecycle.stop();
    expect(operation.signal.aborted).toBe(false);
  });
});

describe('Lifecycle.drained', () => {
  it('resolves with 0 at once when nothing runs', async () => {
    const lifecycle = new Lifecycle();
    await expect(lifecycle.drained(1000)).resolves.toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('resolves when the last operation ends, before the bound, and leaves no timer', async () => {
    const lifecycle = new Lifecycle();
    const a = lifecycle.begin('get', 'a');
    const b = lifecycle.begin('get', 'b');
    lifecycle.stop();
    const drained = watch(lifecycle.drained(1000));
    a.end();
    await vi.advanceTimersByTimeAsync(10);
    expect(drained.settled).toBe(false);
    b.end();
    await vi.advanceTimersByTimeAsync(0);
    expect(drained).toEqual({ settled: true, value: 0 });
    expect(vi.getTimerCount()).toBe(0);
  });

  it('resolves at the bound with the count of operations still running', async () => {
    const lifecycle = new Lifecycle();
    lifecycle.begin('get', 'a');
    lifecycle.begin('get', 'b');
    lifecycle.begin('get', 'c').end();
    const drained = watch(lifecycle.drained(1000));
    await vi.advanceTimersByTimeAsync(999);
    expect(drained.settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(drained).toEqual({ settled: true, value: 2 });
  });
});

describe('Operation with a caller signal', () => {
  it("aborts with the caller's reason", () => {
    const lifecycle = new Lifecycle();
    const caller = new AbortController();
    const operation = lifecycle.begin('get', 'k', caller.signal);
    expect(operation.signal.aborted).toBe(false);
    const reason = new Error('caller gave up');
    caller.abort(reason);
    expect(operation.signal.aborted).toBe(true);
    expect(operation.signal.reason).toBe(reason);
  });

  it("starts aborted when the caller's signal already is", () => {
    const reason = new Error('already');
    const operation = new Lifecycle().begin('get', 'k', AbortSignal.abort(reason));
    expect(operation.signal.reason).toBe(reason);
  });

  it("removes its listener from the caller's signal at end(); a later abort does not reach it", () => {
    const lifecycle = new Lifecycle();
    const caller = new AbortController();
    const operation = lifecycle.begin('get', 'k', caller.signal);
    expect(getEventListeners(caller.signal, 'abort')).toHaveLength(1);
    operation.end();
    expect(getEventListeners(caller.signal, 'abort')).toHaveLength(0);
    caller.abort(new Error('late'));
    expect(operation.signal.aborted).toBe(false);
  });
});

describe('Operation.defer', () => {
  it('keeps an ended operation registered until its deferred work settles', async () => {
    const lifecycle = new Lifecycle();
    const operation = lifecycle.begin('get', 'k');
    const work = deferred<string>();
    operation.defer(work.promise);
    operation.end();
    expect(operation.ended).toBe(true);
    expect(lifecycle.operations).toBe(1);
    const drained = watch(lifecycle.drained(1000));
    await vi.advanceTimersByTimeAsync(10);
    expect(drained.settled).toBe(false);
    work.resolve('released');
    await vi.advanceTimersByTimeAsync(0);
    expect(lifecycle.operations).toBe(0);
    expect(drained).toEqual({ settled: true, value: 0 });
  });

  it('waits for every deferred piece, and a rejected one counts as settled', async () => {
    const lifecycle = new Lifecycle();
    const operation = lifecycle.begin('get', 'k');
    const first = deferred<void>();
    const second = deferred<void>();
    operation.defer(first.promise);
    operation.defer(second.promise);
    operation.end();
    first.reject(new Error('release failed'));
    await vi.advanceTimersByTimeAsync(0);
    expect(lifecycle.operations).toBe(1);
    second.resolve();
    await vi.advanceTimersByTimeAsync(0);
    expect(lifecycle.operations).toBe(0);
  });

  it('deferred work that settled before end() does not hold the operation', async () => {
    const lifecycle = new Lifecycle();
    const operation = lifecycle.begin('get', 'k');
    operation.defer(Promise.resolve());
    await vi.advanceTimersByTimeAsync(0);
    expect(lifecycle.operations).toBe(1);
    operation.end();
    expect(lifecycle.operations).toBe(0);
  });

  it('an acquire that lands after its caller left and end() keeps the operation until its undo settles', async () => {
    const lifecycle = new Lifecycle();
    const caller = new AbortController();
    const operation = lifecycle.begin('get', 'k', caller.signal);
    const acquiring = deferred<string>();
    const releasing = deferred<void>();
    operation.defer(acquiring.promise);
    const waited = untilAborted(acquiring.promise, operation.signal, undefined, () =>
      operation.defer(releasing.promise),
    );
    caller.abort(new Error('gave up'));
    await expect(waited).rejects.toThrow('gave up');
    operation.end();
    acquiring.resolve('lock');
    await vi.advanceTimersByTimeAsync(0);
    expect(lifecycle.operations).toBe(1);
    releasing.resolve();
    await vi.advanceTimersByTimeAsync(0);
    expect(lifecycle.operations).toBe(0);
  });
});
