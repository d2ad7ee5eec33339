import { describe, expect, it, vi } from 'vitest';
import { EventListeners } from './event-listeners.js';
import { CONNECTION_LOST, HealthListeners } from './health-listeners.js';
import { InvalidationListeners } from './invalidation-listeners.js';

/** The codes of the process warnings emitted while `run` runs (none is printed). */
function warningCodes(run: () => void): unknown[] {
  const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
  try {
    run();
    return warn.mock.calls.map(([, options]) => (options as { code?: unknown } | undefined)?.code);
  } finally {
    warn.mockRestore();
  }
}

describe('EventListeners', () => {
  it('calls every listener in turn; one that throws becomes a warning with the code, and the others still hear the event', () => {
    const listeners = new EventListeners<number>('TEST_CODE');
    const heard: string[] = [];
    listeners.add((event) => heard.push(`first ${event}`));
    listeners.add(() => {
      throw new Error('listener bug');
    });
    listeners.add((event) => heard.push(`last ${event}`));
    expect(warningCodes(() => listeners.emit(1))).toEqual(['TEST_CODE']);
    expect(heard).toEqual(['first 1', 'last 1']);
  });

  it('counts the same function added twice as two subscriptions, each removed by its own unsubscribe', () => {
    const listeners = new EventListeners<number>('TEST_CODE');
    const heard: number[] = [];
    const listener = (event: number) => heard.push(event);
    const first = listeners.add(listener);
    listeners.add(listener);
    listeners.emit(1);
    first();
    first();
    listeners.emit(2);
    listeners.clear();
    listeners.emit(3);
    expect(heard).toEqual([1, 1, 2]);
  });

  it('a listener added while an event is delivered hears the next one only', () => {
    const listeners = new EventListeners<number>('TEST_CODE');
    const heard: string[] = [];
    const unsubscribe = listeners.add((event) => {
      heard.push(`outer ${event}`);
      listeners.add((next) => heard.push(`inner ${next}`));
      unsubscribe();
    });
    listeners.emit(1);
    listeners.emit(2);
    expect(heard).toEqual(['outer 1', 'inner 2']);
  });
});

describe('the drivers’ listener sets', () => {
  const throwing = () => {
    throw new Error('listener bug');
  };

  it('InvalidationListeners warn with REDCACHE_INVALIDATION_LISTENER', () => {
    const listeners = new InvalidationListeners();
    const heard: Array<string | null> = [];
    listeners.add(throwing);
    listeners.add((key) => heard.push(key));
    expect(warningCodes(() => listeners.emit('k'))).toEqual(['REDCACHE_INVALIDATION_LISTENER']);
    listeners.clear();
    listeners.emit(null);
    expect(heard).toEqual(['k']);
  });

  it('HealthListeners warn with REDCACHE_HEALTH_LISTENER', () => {
    const listeners = new HealthListeners();
    const heard: unknown[] = [];
    const unsubscribe = listeners.add(throwing);
    listeners.add((event) => heard.push(event));
    expect(warningCodes(() => listeners.emit(CONNECTION_LOST))).toEqual(['REDCACHE_HEALTH_LISTENER']);
    unsubscribe();
    expect(warningCodes(() => listeners.emit(CONNECTION_LOST))).toEqual([]);
    expect(heard).toEqual([CONNECTION_LOST, CONNECTION_LOST]);
  });
});
