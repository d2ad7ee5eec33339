import { describe, expect, it } from 'vitest';
import { keySlot } from '../driver/slot.js';
import type { RedisCommand } from '../driver.js';
import { redirectAddress, redirectOf } from './cluster-redirect.js';

const key = 'user:42';
const slot = keySlot(key);
const get: RedisCommand = { key, args: ['GET', key] };

describe('redirectOf', () => {
  it("reads MOVED and ASK for the command's own slot, and TRYAGAIN", () => {
    expect(redirectOf(get, new Error(`MOVED ${slot} 127.0.0.1:7001`))).toBe('moved');
    expect(redirectOf(get, new Error(`ASK ${slot} 127.0.0.1:7001`))).toBe('ask');
    expect(redirectOf(get, new Error('TRYAGAIN Multiple keys request during rehashing of slot'))).toBe(
      'tryagain',
    );
  });

  it('is undefined for a redirect of another slot, other errors and replies', () => {
    expect(redirectOf(get, new Error(`MOVED ${(slot + 1) % 16_384} 127.0.0.1:7001`))).toBeUndefined();
    expect(redirectOf(get, new Error(`ASK ${(slot + 1) % 16_384} 127.0.0.1:7001`))).toBeUndefined();
    expect(redirectOf(get, new Error('ERR MOVED somewhere'))).toBeUndefined();
    expect(redirectOf(get, new Error('CLUSTERDOWN The cluster is down'))).toBeUndefined();
    expect(redirectOf(get, 'MOVED 1 127.0.0.1:7001')).toBeUndefined();
    expect(redirectOf(get, null)).toBeUndefined();
  });
});

describe('redirectAddress', () => {
  it('is the node a MOVED or ASK names, an IPv6 host or an empty one as written', () => {
    expect(redirectAddress(new Error(`MOVED ${slot} 127.0.0.1:7001`))).toBe('127.0.0.1:7001');
    expect(redirectAddress(new Error(`ASK ${slot} ::1:7001`))).toBe('::1:7001');
    expect(redirectAddress(new Error(`MOVED ${slot} :7001`))).toBe(':7001');
  });

  it('is undefined for TRYAGAIN, other errors and replies', () => {
    expect(
      redirectAddress(new Error('TRYAGAIN Multiple keys request during rehashing of slot')),
    ).toBeUndefined();
    expect(redirectAddress(new Error('ERR MOVED 1 127.0.0.1:7001'))).toBeUndefined();
    expect(redirectAddress('MOVED 1 127.0.0.1:7001')).toBeUndefined();
    expect(redirectAddress(null)).toBeUndefined();
  });
});
