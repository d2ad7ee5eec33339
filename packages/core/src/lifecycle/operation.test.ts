import { describe, expect, it, vi } from 'vitest';
import { deferred, stateOf } from '../test-support/promise-state.js';
import { Operation } from './operation.js';
import { untilAborted } from './until-aborted.js';

const operation = (caller?: AbortSignal) => new Operation(caller, () => {});

describe('Operation as an AbortWatch', () => {
  it('runs each callback once on abort, after the signal it made', () => {
    const op = operation();
    const order: string[] = [];
    op.signal.addEventListener('abort', () => order.push('signal'));
    const first = vi.fn(() => order.push('first'));
    op.onAbort(first);
    op.onAbort(() => order.push('second'));
    const reason = new Error('stop');
    op.abort(reason);
    op.abort(new Error('again'));
    expect(order).toEqual(['signal', 'first', 'second']);
    expect(first).toHaveBeenCalledTimes(1);
    expect(op.aborted).toBe(true);
    expect(op.reason).toBe(reason);
    expect(() => op.throwIfAborted()).toThrow(reason);
  });

  it('runs the same function once per registration, and not once disposed', () => {
    const op = operation();
    const callback = vi.fn();
    op.onAbort(callback);
    const dispose = op.onAbort(callback);
    const gone = vi.fn();
    op.onAbort(gone)();
    dispose();
    op.abort(new Error('stop'));
    expect(callback).toHaveBeenCalledTimes(1);
    expect(gone).not.toHaveBeenCalled();
  });

  it('disposing the first of two registrations of one function leaves the second, and a sole one disposed never runs', () => {
    const op = operation();
    const callback = vi.fn();
    const first = op.onAbort(callback);
    op.onAbort(callback);
    first();
    first();
    const sole = vi.fn();
    const other = operation();
    other.onAbort(sole)();
    op.abort(new Error('stop'));
    other.abort(new Error('stop'));
    expect(callback).toHaveBeenCalledTimes(1);
    expect(sole).not.toHaveBeenCalled();
  });

  it('a dispose called again after its function was registered anew leaves the new registration (was: a sole callback is its own entry, so the stale dispose removed it)', () => {
    const op = operation();
    const callback = vi.fn();
    const first = op.onAbort(callback);
    first();
    op.onAbort(callback);
    first();
    op.abort(new Error('stop'));
    expect(callback).toHaveBeenCalledTimes(1);
  });

  it('makes its signal only when asked, already aborted with the reason when the operation is', () => {
    const op = operation();
    const reason = new Error('stop');
    op.abort(reason);
    expect(op.signal.aborted).toBe(true);
    expect(op.signal.reason).toBe(reason);
    expect(op.signal).toBe(op.signal);
  });

  it('aborts with an AbortError when given no reason, as AbortController does', () => {
    const op = operation();
    op.abort();
    expect(op.reason).toMatchObject({ name: 'AbortError' });
    expect(op.signal.reason).toBe(op.reason);
  });

  it("follows its caller's signal", () => {
    const caller = new AbortController();
    const op = operation(caller.signal);
    const callback = vi.fn();
    op.onAbort(callback);
    const reason = new Error('caller left');
    caller.abort(reason);
    expect(callback).toHaveBeenCalledTimes(1);
    expect(op.reason).toBe(reason);
  });

  it('is what untilAborted watches: rejects at once on abort, and undoes a late value', async () => {
    const op = operation();
    const { promise, resolve } = deferred<string>();
    const undo = vi.fn();
    const waited = untilAborted(promise, op, undefined, undo);
    const reason = new Error('stop');
    op.abort(reason);
    expect(await stateOf(waited)).toEqual({ state: 'rejected', error: reason });
    resolve('late');
    await promise;
    await Promise.resolve();
    expect(undo).toHaveBeenCalledWith('late');
  });

  it('drops the callback of an untilAborted that settled first', async () => {
    const op = operation();
    await expect(untilAborted(Promise.resolve('v'), op)).resolves.toBe('v');
    const onAbort = vi.fn();
    const { promise } = deferred<void>();
    void untilAborted(promise, op, onAbort).catch(() => {});
    op.abort(new Error('stop'));
    expect(onAbort).toHaveBeenCalledTimes(1);
  });
});
