import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startLoaderClock } from './loader-clock.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

const hooks = () => ({
  onSoft: vi.fn(),
  hardError: vi.fn((ms: number) => new Error(`hard after ${ms}`)),
});

describe('startLoaderClock', () => {
  it('without timeouts it is the parent signal, with no timer and no listener', () => {
    const parent = new AbortController();
    const clock = startLoaderClock(parent.signal, {}, hooks());
    expect(clock.signal).toBe(parent.signal);
    expect(vi.getTimerCount()).toBe(0);
    clock.end();
  });

  it('soft then hard: onSoft at softMs, then the signal aborts at hardMs with hardError; one timer at a time', () => {
    const h = hooks();
    const clock = startLoaderClock(new AbortController().signal, { softMs: 100, hardMs: 300 }, h);
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(99);
    expect(h.onSoft).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(h.onSoft).toHaveBeenCalledTimes(1);
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(199);
    expect(clock.signal.aborted).toBe(false);
    vi.advanceTimersByTime(1);
    expect(clock.signal.aborted).toBe(true);
    expect(clock.timedOut).toBe(true);
    expect((clock.signal.reason as Error).message).toBe('hard after 300');
    expect(vi.getTimerCount()).toBe(0);
    clock.end();
  });

  it('end() clears the timer: no hook runs after it', () => {
    const h = hooks();
    const clock = startLoaderClock(new AbortController().signal, { softMs: 100, hardMs: 300 }, h);
    clock.end();
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(1_000);
    expect(h.onSoft).not.toHaveBeenCalled();
    expect(clock.signal.aborted).toBe(false);
  });

  it("the parent's abort reaches the signal with its reason (not a timeout); end() removes the listener", () => {
    const parent = new AbortController();
    const clock = startLoaderClock(parent.signal, { hardMs: 300 }, hooks());
    const reason = new Error('caller gone');
    parent.abort(reason);
    expect(clock.signal.reason).toBe(reason);
    expect(clock.timedOut).toBe(false);
    clock.end();
    expect(vi.getTimerCount()).toBe(0);
    const later = new AbortController();
    const second = startLoaderClock(later.signal, { hardMs: 300 }, hooks());
    second.end();
    later.abort(new Error('after end'));
    expect(second.signal.aborted).toBe(false);
  });

  it('its timer does not keep the process alive (unref)', () => {
    vi.useRealTimers();
    const spy = vi.spyOn(globalThis, 'setTimeout');
    const clock = startLoaderClock(new AbortController().signal, { hardMs: 10_000 }, hooks());
    const timer = spy.mock.results[0]?.value as NodeJS.Timeout;
    spy.mockRestore();
    expect(timer.hasRef()).toBe(false);
    clock.end();
  });
});
