import { describe, expect, it } from 'vitest';
import { LockTokens } from './lock-token.js';

// Lock values in the Go library's shape: `<lockPrefix><uuidv7>:<counter>`.

const UUID_V7 = '[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}';
const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const shape = (prefix: string): RegExp => new RegExp(`^${escapeRegExp(prefix)}(${UUID_V7}):([1-9][0-9]*)$`);

function parse(token: string, prefix: string): { uuid: string; counter: bigint } {
  const match = shape(prefix).exec(token);
  if (match === null) throw new Error(`not a lock value with prefix ${JSON.stringify(prefix)}: ${token}`);
  return { uuid: match[1]!, counter: BigInt(match[2]!) };
}

describe('LockTokens', () => {
  it('makes values of the form <prefix><uuidv7>:<counter>', () => {
    const token = new LockTokens('__redcache:lock:').next();
    expect(token).toMatch(shape('__redcache:lock:'));
  });

  it('uses a UUID of version 7 and variant 10xx', () => {
    const { uuid } = parse(new LockTokens('__redcache:lock:').next(), '__redcache:lock:');
    const hexDigits = uuid.replaceAll('-', '');
    expect(hexDigits).toHaveLength(32);
    expect(hexDigits[12]).toBe('7');
    expect(Number.parseInt(hexDigits[16]!, 16) >> 2).toBe(0b10);
  });

  it('stamps the UUID with the creation time in ms (UUIDv7 unix_ts_ms)', () => {
    const before = Date.now();
    const tokens = new LockTokens('p:');
    const after = Date.now();
    const { uuid } = parse(tokens.next(), 'p:');
    const millis = Number.parseInt(uuid.replaceAll('-', '').slice(0, 12), 16);
    expect(millis).toBeGreaterThanOrEqual(before);
    expect(millis).toBeLessThanOrEqual(after);
  });

  it('starts the counter at 1 and increments it by 1', () => {
    const tokens = new LockTokens('__redcache:lock:');
    const values = Array.from({ length: 5 }, () => parse(tokens.next(), '__redcache:lock:'));
    expect(values.map((v) => v.counter)).toEqual([1n, 2n, 3n, 4n, 5n]);
  });

  it('keeps one UUID per instance', () => {
    const tokens = new LockTokens('__redcache:lock:');
    const uuids = new Set(Array.from({ length: 100 }, () => parse(tokens.next(), '__redcache:lock:').uuid));
    expect(uuids.size).toBe(1);
  });

  it('never repeats a value within an instance', () => {
    const tokens = new LockTokens('__redcache:lock:');
    const values = new Set(Array.from({ length: 10_000 }, () => tokens.next()));
    expect(values.size).toBe(10_000);
  });

  it('gives two instances different UUIDs, each with its own counter', () => {
    const a = new LockTokens('__redcache:lock:');
    const b = new LockTokens('__redcache:lock:');
    a.next();
    const fromA = parse(a.next(), '__redcache:lock:');
    const fromB = parse(b.next(), '__redcache:lock:');
    expect(fromA.uuid).not.toBe(fromB.uuid);
    expect(fromA.counter).toBe(2n);
    expect(fromB.counter).toBe(1n);
  });

  it('gives many instances distinct UUIDs', () => {
    const uuids = new Set(Array.from({ length: 1_000 }, () => parse(new LockTokens('x:').next(), 'x:').uuid));
    expect(uuids.size).toBe(1_000);
  });

  it.each(['rc:lock:', 'app/{locks}/', 'λ:', 'a'])('honours the custom prefix %j', (prefix) => {
    const token = new LockTokens(prefix).next();
    expect(token.startsWith(prefix)).toBe(true);
    expect(token).toMatch(shape(prefix));
    expect(token.startsWith('__redcache:lock:')).toBe(false);
  });
});
