import { describe, expect, it } from 'vitest';
import { crc16, keySlot } from './slot.js';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

describe('crc16 (CRC16/XMODEM: poly 0x1021, init 0, no reflection, no final xor)', () => {
  it('gives the standard check value 0x31C3 for "123456789"', () => {
    expect(crc16(bytes('123456789'))).toBe(0x31c3);
  });

  it('is 0 for no bytes', () => {
    expect(crc16(new Uint8Array(0))).toBe(0);
  });

  it.each([
    // Computed with an independent bit-by-bit CRC16/XMODEM (no table).
    [[0x00], 0x0000],
    [[0x01], 0x1021],
    [[0xff], 0x1ef0],
    [[0x41], 0x58e5], // "A"
  ])('crc16(%j) = %i', (input, expected) => {
    expect(crc16(new Uint8Array(input))).toBe(expected);
  });

  it('stays within 16 bits for long inputs', () => {
    const input = new Uint8Array(10_000).map((_, i) => (i * 31) & 0xff);
    const value = crc16(input);
    expect(value).toBeGreaterThanOrEqual(0);
    expect(value).toBeLessThanOrEqual(0xffff);
  });
});

describe('keySlot', () => {
  it.each([
    ['key', 12539],
    ['123', 5970],
    ['', 0],
    ['user:1000', 1649],
    ['session:abc123', 11692],
    ['123456789', 0x31c3 & 0x3fff],
  ])('keySlot(%j) = %i', (key, slot) => {
    expect(keySlot(key)).toBe(slot);
  });

  it('hashes "{{nested}}" as "{nested" (the tag runs from the first "{" to the first "}")', () => {
    expect(keySlot('{{nested}}')).toBe(keySlot('{nested'));
    expect(keySlot('{{nested}}')).toBe(crc16(bytes('{nested')) & 0x3fff);
  });

  it('hashes the whole key when the tag is empty ("key{}value")', () => {
    expect(keySlot('key{}value')).toBe(crc16(bytes('key{}value')) & 0x3fff);
    expect(keySlot('key{}value')).not.toBe(keySlot('key'));
    expect(keySlot('foo{}{bar}')).toBe(crc16(bytes('foo{}{bar}')) & 0x3fff);
  });

  it('uses only the first tag ("{tag1}{tag2}" is "tag1")', () => {
    expect(keySlot('{tag1}{tag2}')).toBe(keySlot('tag1'));
    expect(keySlot('{tag1}{tag2}')).not.toBe(keySlot('tag2'));
    expect(keySlot('foo{bar}{zap}')).toBe(keySlot('bar'));
  });

  it('hashes only the tag ("foo{bar}" is "bar")', () => {
    expect(keySlot('foo{bar}')).toBe(keySlot('bar'));
    expect(keySlot('foo{{bar}}zap')).toBe(keySlot('{bar'));
  });

  it('puts keys with the same tag in the same slot', () => {
    expect(keySlot('{user1000}.following')).toBe(keySlot('{user1000}.followers'));
    expect(keySlot('{user1000}.following')).toBe(keySlot('user1000'));
  });

  it('hashes the whole key when a brace is not closed', () => {
    expect(keySlot('foo{bar')).toBe(crc16(bytes('foo{bar')) & 0x3fff);
    expect(keySlot('foo}bar{')).toBe(crc16(bytes('foo}bar{')) & 0x3fff);
  });

  it('hashes UTF-8 bytes', () => {
    expect(keySlot('é')).toBe(crc16(new Uint8Array([0xc3, 0xa9])) & 0x3fff);
    expect(keySlot('{é}x')).toBe(keySlot('é'));
  });

  it('is within 0..16383 for many keys', () => {
    for (let i = 0; i < 2_000; i++) {
      const slot = keySlot(`key:${i}`);
      expect(slot).toBeGreaterThanOrEqual(0);
      expect(slot).toBeLessThan(16384);
    }
  });
});
