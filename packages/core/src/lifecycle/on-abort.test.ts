import { getEventListeners } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { onAbort } from './on-abort.js';

const listeners = (signal: AbortSignal) => getEventListeners(signal, 'abort').length;

describe('onAbort', () => {
  it('adds one listener to the signal however many callers wait on it', () => {
    const controller = new AbortController();
    const add = vi.spyOn(controller.signal, 'addEventListener');
    for (let i = 0; i < 1000; i++) onAbort(controller.signal, () => {});
    expect(add).toHaveBeenCalledTimes(1);
    expect(listeners(controller.signal)).toBe(1);
  });

  it('gives each signal its own listener', () => {
    const a = new AbortController();
    const b = new AbortController();
    const onA = vi.fn();
    const onB = vi.fn();
    onAbort(a.signal, onA);
    onAbort(b.signal, onB);
    a.abort();
    expect(onA).toHaveBeenCalledTimes(1);
    expect(onB).not.toHaveBeenCalled();
    expect(listeners(b.signal)).toBe(1);
  });

  it('runs each callback once on abort', () => {
    const controller = new AbortController();
    const callbacks = [vi.fn(), vi.fn(), vi.fn()];
    for (const callback of callbacks) onAbort(controller.signal, callback);
    controller.abort();
    controller.abort();
    for (const callback of callbacks) expect(callback).toHaveBeenCalledTimes(1);
    expect(listeners(controller.signal)).toBe(0);
  });

  it('runs the same function once per registration', () => {
    const controller = new AbortController();
    const callback = vi.fn();
    onAbort(controller.signal, callback);
    const dispose = onAbort(controller.signal, callback);
    dispose();
    controller.abort();
    expect(callback).toHaveBeenCalledTimes(1);
  });

  it('does not run a disposed callback', () => {
    const controller = new AbortController();
    const kept = vi.fn();
    const disposed = vi.fn();
    onAbort(controller.signal, kept);
    onAbort(controller.signal, disposed)();
    expect(listeners(controller.signal)).toBe(1);
    controller.abort();
    expect(kept).toHaveBeenCalledTimes(1);
    expect(disposed).not.toHaveBeenCalled();
  });

  it('removes the listener when the last waiter disposes, not before', () => {
    const controller = new AbortController();
    const disposers = [onAbort(controller.signal, () => {}), onAbort(controller.signal, () => {})];
    disposers[0]!();
    expect(listeners(controller.signal)).toBe(1);
    disposers[1]!();
    expect(listeners(controller.signal)).toBe(0);
  });

  it('a waiter disposing twice does not take the listener from the others', () => {
    const controller = new AbortController();
    const other = vi.fn();
    const dispose = onAbort(controller.signal, () => {});
    onAbort(controller.signal, other);
    dispose();
    dispose();
    expect(listeners(controller.signal)).toBe(1);
    controller.abort();
    expect(other).toHaveBeenCalledTimes(1);
  });

  it('works again for new waiters once the last one left', () => {
    const controller = new AbortController();
    const early = vi.fn();
    const disposeEarly = onAbort(controller.signal, early);
    disposeEarly();
    const late = [vi.fn(), vi.fn()];
    for (const callback of late) onAbort(controller.signal, callback);
    expect(listeners(controller.signal)).toBe(1);
    // A stale disposer of the first round leaves the new round alone.
    disposeEarly();
    expect(listeners(controller.signal)).toBe(1);
    controller.abort();
    for (const callback of late) expect(callback).toHaveBeenCalledTimes(1);
    expect(early).not.toHaveBeenCalled();
  });

  it('disposing after the abort is harmless', () => {
    const controller = new AbortController();
    const callback = vi.fn();
    const dispose = onAbort(controller.signal, callback);
    controller.abort();
    expect(() => dispose()).not.toThrow();
    expect(callback).toHaveBeenCalledTimes(1);
    expect(listeners(controller.signal)).toBe(0);
  });
});
