import { describe, expect, it, vi } from 'vitest';
import { useLivenessClock } from '../test-support/liveness-clock.js';
import type { Pingable } from './liveness-check.js';
import { LivenessChecks } from './liveness-checks.js';

const OPTIONS = { intervalMs: 100, timeoutMs: 50 };

const advance = useLivenessClock();

/** A stand-in for a driver's client: its name, and how many PINGs it was sent. */
interface Client {
  readonly name: string;
  pings: number;
}

const client = (name: string): Client => ({ name, pings: 0 });

/** Adapts a client; every PING fails, so each check reports. */
function pingableOf(key: Client): Pingable {
  return {
    isReady: true,
    ping: async () => {
      key.pings++;
      return false;
    },
  };
}

function checks(options: typeof OPTIONS | false = OPTIONS) {
  const failures: number[] = [];
  const adapted: Client[] = [];
  const all = new LivenessChecks<Client>(
    options,
    () => failures.push(Date.now()),
    (key) => {
      adapted.push(key);
      return pingableOf(key);
    },
  );
  return { all, failures, adapted };
}

describe('LivenessChecks', () => {
  it('checks each client added once, adapting it once, all reporting to the one onFailure', async () => {
    const { all, failures, adapted } = checks();
    const [a, b] = [client('a'), client('b')];
    all.add(a);
    all.add(b);
    all.add(a);
    expect(adapted).toEqual([a, b]);
    await advance(OPTIONS.intervalMs);
    expect([a.pings, b.pings]).toEqual([1, 1]);
    expect(failures).toHaveLength(2);
    all.stop();
  });

  it('delete stops checking that client only', async () => {
    const { all } = checks();
    const [a, b] = [client('a'), client('b')];
    all.add(a);
    all.add(b);
    all.delete(a);
    await advance(2 * OPTIONS.intervalMs);
    expect([a.pings, b.pings]).toEqual([0, 2]);
    all.stop();
  });

  it('stop ends every check for good: a client added afterwards is not checked', async () => {
    const { all, adapted } = checks();
    const a = client('a');
    all.add(a);
    all.stop();
    const b = client('b');
    all.add(b);
    await advance(3 * OPTIONS.intervalMs);
    expect([a.pings, b.pings]).toEqual([0, 0]);
    expect(adapted).toEqual([a]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('with false checks nothing', async () => {
    const { all, adapted } = checks(false);
    all.add(client('a'));
    await advance(3 * OPTIONS.intervalMs);
    expect(adapted).toEqual([]);
    expect(vi.getTimerCount()).toBe(0);
    all.stop();
  });
});
