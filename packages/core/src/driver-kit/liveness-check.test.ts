import { describe, expect, it, vi } from 'vitest';
import { useLivenessClock } from '../test-support/liveness-clock.js';
import { deferred } from '../test-support/promise-state.js';
import { LivenessCheck, type Pingable } from './liveness-check.js';

const OPTIONS = { intervalMs: 100, timeoutMs: 50 };

const advance = useLivenessClock();

/** A connection whose every PING gets `answer()`. */
class FakePingable implements Pingable {
  isReady = true;
  readonly timeouts: number[] = [];
  answer: () => Promise<boolean> = async () => true;

  get pings(): number {
    return this.timeouts.length;
  }

  ping(timeoutMs: number): Promise<boolean> {
    this.timeouts.push(timeoutMs);
    return this.answer();
  }
}

function started(pingable: Pingable): { check: LivenessCheck; failures: () => number } {
  let failures = 0;
  const check = new LivenessCheck(pingable, OPTIONS, () => failures++);
  return { check, failures: () => failures };
}

describe('LivenessCheck', () => {
  it('sends a PING every interval, with the check timeout, and reports nothing while each is answered', async () => {
    const pingable = new FakePingable();
    const { check, failures } = started(pingable);
    await advance(OPTIONS.intervalMs - 1);
    expect(pingable.pings).toBe(0);
    await advance(1);
    expect(pingable.pings).toBe(1);
    await advance(2 * OPTIONS.intervalMs);
    expect(pingable.timeouts).toEqual([50, 50, 50]);
    expect(failures()).toBe(0);
    check.stop();
  });

  it('fails once the timeout passes unanswered, again every interval while the PING is unanswered, and sends no second PING meanwhile', async () => {
    const pingable = new FakePingable();
    const reply = deferred<boolean>();
    pingable.answer = () => reply.promise;
    const { check, failures } = started(pingable);
    await advance(OPTIONS.intervalMs);
    expect(pingable.pings).toBe(1);
    await advance(OPTIONS.timeoutMs - 1);
    expect(failures()).toBe(0);
    await advance(1);
    expect(failures()).toBe(1);
    await advance(OPTIONS.intervalMs);
    expect(failures()).toBe(2);
    await advance(OPTIONS.intervalMs);
    expect(failures()).toBe(3);
    expect(pingable.pings).toBe(1);

    // Answered at last: the next check sends a new PING, and the reports stop.
    pingable.answer = async () => true;
    reply.resolve(true);
    await advance(OPTIONS.intervalMs);
    expect(pingable.pings).toBe(2);
    await advance(2 * OPTIONS.intervalMs);
    expect(failures()).toBe(3);
    check.stop();
  });

  it('counts an answer that comes within the timeout', async () => {
    const pingable = new FakePingable();
    const reply = deferred<boolean>();
    pingable.answer = () => reply.promise;
    const { check, failures } = started(pingable);
    await advance(OPTIONS.intervalMs + OPTIONS.timeoutMs - 1);
    reply.resolve(true);
    await advance(1);
    expect(failures()).toBe(0);
    check.stop();
  });

  it('fails at once when the PING resolves false, rejects or throws', async () => {
    const pingable = new FakePingable();
    const { check, failures } = started(pingable);
    pingable.answer = async () => false;
    await advance(OPTIONS.intervalMs);
    expect(failures()).toBe(1);
    pingable.answer = () => Promise.reject(new Error('connection reset'));
    await advance(OPTIONS.intervalMs);
    expect(failures()).toBe(2);
    pingable.answer = () => {
      throw new Error('client closed');
    };
    await advance(OPTIONS.intervalMs);
    expect(failures()).toBe(3);
    check.stop();
  });

  it('skips a connection that is not ready: no PING, no failure, until it is ready', async () => {
    const pingable = new FakePingable();
    pingable.isReady = false;
    pingable.answer = async () => false;
    const { check, failures } = started(pingable);
    await advance(3 * OPTIONS.intervalMs);
    expect(pingable.pings).toBe(0);
    expect(failures()).toBe(0);
    pingable.isReady = true;
    await advance(OPTIONS.intervalMs);
    expect(pingable.pings).toBe(1);
    expect(failures()).toBe(1);
    check.stop();
  });

  it('stop() sends no PING after it, and reports no failure of the PING in flight', async () => {
    const pingable = new FakePingable();
    pingable.answer = () => deferred<boolean>().promise;
    const { check, failures } = started(pingable);
    await advance(OPTIONS.intervalMs);
    expect(pingable.pings).toBe(1);
    check.stop();
    await advance(5 * OPTIONS.intervalMs);
    expect(failures()).toBe(0);
    expect(pingable.pings).toBe(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('stop() before the first check sends no PING at all', async () => {
    const pingable = new FakePingable();
    const { check, failures } = started(pingable);
    check.stop();
    await advance(5 * OPTIONS.intervalMs);
    expect(pingable.pings).toBe(0);
    expect(failures()).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });
});
