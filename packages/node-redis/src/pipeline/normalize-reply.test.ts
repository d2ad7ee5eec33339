import { SimpleError, VerbatimString } from '@redis/client';
import { describe, expect, it } from 'vitest';
import { normalizeReply } from './normalize-reply.js';

describe('normalizeReply', () => {
  it('keeps bytes, strings, numbers and null as they are', () => {
    const bytes = Buffer.from('value');
    expect(normalizeReply(bytes)).toBe(bytes);
    expect(normalizeReply('OK')).toBe('OK');
    expect(normalizeReply(42)).toBe(42);
    expect(normalizeReply(3.5)).toBe(3.5);
    expect(normalizeReply(null)).toBeNull();
  });

  it('maps booleans to 1 and 0, and big numbers to numbers or decimal strings', () => {
    expect(normalizeReply(true)).toBe(1);
    expect(normalizeReply(false)).toBe(0);
    expect(normalizeReply(12n)).toBe(12);
    expect(normalizeReply(123456789012345678901234567890n)).toBe('123456789012345678901234567890');
  });

  it('flattens sets, maps and objects into arrays, recursively', () => {
    expect(normalizeReply([1, [true, null]])).toEqual([1, [1, null]]);
    expect(normalizeReply(new Set(['a']))).toEqual(['a']);
    expect(normalizeReply(new Map([['k', 1n]]))).toEqual(['k', 1]);
    expect(normalizeReply({ k: false })).toEqual(['k', 0]);
    expect(normalizeReply(new VerbatimString('txt', 'hello'))).toBe('hello');
  });

  it('turns a reply with a nested error reply into that error', () => {
    const error = new SimpleError('ERR nested');
    expect(normalizeReply([1, [2, error]])).toBe(error);
  });
});
