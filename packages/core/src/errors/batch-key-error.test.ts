import { describe, expect, it } from 'vitest';
import { BatchKeyError } from './batch-key-error.js';
import { RedcacheError } from './errors.js';

describe('BatchKeyError', () => {
  const failed = new Map<number, Error>([
    [3, new Error('three broke')],
    [1, new Error('one broke')],
  ]);
  const error = new BatchKeyError('setMulti', failed, [2, 4]);

  it('is a RedcacheError with code E_BATCH, the op, and the failed keys', () => {
    expect(error).toBeInstanceOf(RedcacheError);
    expect(RedcacheError.isInstance(error)).toBe(true);
    expect(error.code).toBe('E_BATCH');
    expect(error.name).toBe('BatchKeyError');
    expect(error.op).toBe('setMulti');
    expect(error.key).toEqual([3, 1]);
  });

  it('lists counts, then each failed key and its error, sorted by the key', () => {
    expect(error.message).toBe(
      'redcache: setMulti: batch partially failed: 2 succeeded, 2 failed; key 1: one broke; key 3: three broke',
    );
  });

  it('answers per key', () => {
    expect(error.errorFor(3)?.message).toBe('three broke');
    expect(error.errorFor(2)).toBeUndefined();
    expect(error.hasError(1)).toBe(true);
    expect(error.hasError(4)).toBe(false);
    expect(error.hasFailures()).toBe(true);
    expect(error.succeeded).toEqual([2, 4]);
    expect(new BatchKeyError('delMulti', new Map(), ['a']).hasFailures()).toBe(false);
  });
});
