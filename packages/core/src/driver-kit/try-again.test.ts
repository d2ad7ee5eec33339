import { describe, expect, it } from 'vitest';
import type { RedisReply } from '../driver.js';
import { retryTryAgain, TRY_AGAIN_PAUSES_MS } from './try-again.js';

const tryAgain = () => new Error('TRYAGAIN Multiple keys request during rehashing of slot');

/** A sender that answers `replies` in turn, counting its calls. */
function sender(...replies: Array<RedisReply | Error>) {
  const calls = { count: 0 };
  const send = async () => replies[Math.min(calls.count++, replies.length - 1)]!;
  return { calls, send };
}

describe('retryTryAgain', () => {
  it('returns any reply but TRYAGAIN at once, errors included', async () => {
    for (const reply of ['OK', null, 3, new Error('MOVED 1 127.0.0.1:1'), new Error('ERR x')]) {
      const { calls, send } = sender(reply);
      expect(await retryTryAgain(send, () => false, [0, 0])).toBe(reply);
      expect(calls.count).toBe(1);
    }
  });

  it('sends again after each TRYAGAIN, until another reply', async () => {
    const { calls, send } = sender(tryAgain(), tryAgain(), 'value');
    expect(await retryTryAgain(send, () => false, [0, 0, 0, 0])).toBe('value');
    expect(calls.count).toBe(3);
  });

  it('gives up with the TRYAGAIN error once every pause is used', async () => {
    const { calls, send } = sender(tryAgain());
    const reply = await retryTryAgain(send, () => false, [0, 0, 0]);
    expect((reply as Error).message).toMatch(/^TRYAGAIN /);
    expect(calls.count).toBe(4);
  });

  it('stops once `stopped` says so (the driver closes)', async () => {
    const { calls, send } = sender(tryAgain());
    let stopped = false;
    const counted = async () => {
      if (calls.count === 1) stopped = true;
      return send();
    };
    expect(((await retryTryAgain(counted, () => stopped, [0, 0, 0])) as Error).message).toMatch(/^TRYAGAIN/);
    expect(calls.count).toBe(2);
  });

  it('pauses for about 5 s in all by default, 250 ms at most between attempts', async () => {
    const total = TRY_AGAIN_PAUSES_MS.reduce((sum, pause) => sum + pause, 0);
    expect(total).toBeGreaterThanOrEqual(4_500);
    expect(total).toBeLessThanOrEqual(5_500);
    expect(Math.max(...TRY_AGAIN_PAUSES_MS)).toBe(250);
  });
});
