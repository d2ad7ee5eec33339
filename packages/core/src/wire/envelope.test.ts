import { describe, expect, it } from 'vitest';
import { ENVELOPE_PREFIX } from '../wire/envelope.js';
import { startsWithBytes, unwrapEnvelope, wrapEnvelope } from './envelope.js';

// Golden vectors of the value envelope shared with the Go library: `__redcache:v1:<delta_ns>:<payload>`.

const encoder = new TextEncoder();
const bytes = (text: string): Uint8Array => encoder.encode(text);
/** Bytes as a latin1 string: one character per byte, so every byte is visible in a failure diff. */
const latin1 = (data: Uint8Array): string =>
  Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('latin1');
const hex = (data: Uint8Array): string =>
  Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('hex');

describe('ENVELOPE_PREFIX', () => {
  it('is the constant the Go library writes', () => {
    expect(ENVELOPE_PREFIX).toBe('__redcache:v1:');
  });
});

describe('wrapEnvelope', () => {
  it.each([
    ['v', 0, '__redcache:v1:0:v'],
    ['v', 1, '__redcache:v1:1:v'],
    ['hello', 1_500_000, '__redcache:v1:1500000:hello'],
    ['{"id":1}', 42, '__redcache:v1:42:{"id":1}'],
    ['', 0, '__redcache:v1:0:'],
    ['a:b:c', 7, '__redcache:v1:7:a:b:c'],
    // 2^53: the largest integer a double represents exactly is written in full, not in exponent form.
    ['x', 2 ** 53, '__redcache:v1:9007199254740992:x'],
  ])('wraps %j with delta %d as %j', (payload, delta, expected) => {
    expect(latin1(wrapEnvelope(payload, delta))).toBe(expected);
  });

  it('writes a large delta in plain decimal digits, never in exponent notation', () => {
    const text = latin1(wrapEnvelope('x', 1e18));
    expect(text).toBe('__redcache:v1:1000000000000000000:x');
  });

  it.each([
    ['negative', -5],
    ['negative fraction', -0.5],
    ['negative zero', -0],
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['-Infinity', Number.NEGATIVE_INFINITY],
  ])('writes delta 0 for a %s delta', (_label, delta) => {
    expect(latin1(wrapEnvelope('v', delta))).toBe('__redcache:v1:0:v');
  });

  it.each([
    [0.4, '0'],
    [0.999, '0'],
    [1.5, '1'],
    [1_500_000.9, '1500000'],
  ])('floors the fractional delta %d to %s', (delta, digits) => {
    expect(latin1(wrapEnvelope('v', delta))).toBe(`__redcache:v1:${digits}:v`);
  });

  it('encodes a string payload as UTF-8', () => {
    expect(hex(wrapEnvelope('é€😀', 0))).toBe(`${hex(bytes('__redcache:v1:0:'))}c3a9e282acf09f9880`);
  });

  it.each([
    ['a short ASCII payload', 'v\u007f'],
    ['a short payload with one non-ASCII character at the end', `${'a'.repeat(31)}\u0080`],
    ['a payload just past the short ones', 'b'.repeat(33)],
    ['a long mixed payload', `${'{"k":"é"},'.repeat(50)}😀`],
    ['a lone surrogate (encoded as U+FFFD, as TextEncoder does)', 'x\ud800y'],
    ['an empty payload', ''],
  ])('writes %s as the head followed by its UTF-8 bytes', (_, payload) => {
    expect(hex(wrapEnvelope(payload, 42))).toBe(hex(bytes(`__redcache:v1:42:${payload}`)));
  });

  it('appends a byte payload verbatim, including 0x00 and 0xff', () => {
    const payload = new Uint8Array([0x00, 0xff, 0x3a, 0x80, 0x00]);
    expect(hex(wrapEnvelope(payload, 3))).toBe(`${hex(bytes('__redcache:v1:3:'))}00ff3a8000`);
  });

  it('adds exactly one layer to a payload that already looks like an envelope', () => {
    expect(latin1(wrapEnvelope('__redcache:v1:5:inner', 9))).toBe('__redcache:v1:9:__redcache:v1:5:inner');
  });

  it('does not alias the payload: the result is a fresh buffer', () => {
    const payload = new Uint8Array([1, 2, 3]);
    const wrapped = wrapEnvelope(payload, 0);
    payload[0] = 9;
    expect(Array.from(wrapped.slice(-3))).toEqual([1, 2, 3]);
  });
});

describe('unwrapEnvelope: round trips', () => {
  it.each([
    ['empty', ''],
    ['plain text', 'v'],
    ['colon-containing', 'a:b::c:'],
    ['a payload that starts with a colon', ':x'],
    ['an envelope-looking payload', '__redcache:v1:5:inner'],
    ['a lock-looking payload', '__redcache:lock:0190a0a0-0000-7000-8000-000000000000:1'],
    ['unicode', 'é€😀'],
  ])('round-trips a %s payload', (_label, payload) => {
    const out = unwrapEnvelope(wrapEnvelope(payload, 1234));
    expect(new TextDecoder().decode(out.payload)).toBe(payload);
    expect(out.deltaNs).toBe(1234);
  });

  it('removes exactly one layer from an envelope inside an envelope', () => {
    const once = unwrapEnvelope(wrapEnvelope(wrapEnvelope('inner', 5), 9));
    expect(latin1(once.payload)).toBe('__redcache:v1:5:inner');
    expect(once.deltaNs).toBe(9);
    const twice = unwrapEnvelope(once.payload);
    expect(latin1(twice.payload)).toBe('inner');
    expect(twice.deltaNs).toBe(5);
  });

  it('round-trips binary payload bytes (0x00, 0xff, colons)', () => {
    const payload = new Uint8Array([0x00, 0xff, 0x3a, 0xfe, 0x00, 0x3a]);
    const out = unwrapEnvelope(wrapEnvelope(payload, 77));
    expect(hex(out.payload)).toBe('00ff3afe003a');
    expect(out.deltaNs).toBe(77);
  });

  it('returns the payload as a view of the input, without copying', () => {
    const raw = bytes('__redcache:v1:12:body');
    const out = unwrapEnvelope(raw);
    expect(out.payload.buffer).toBe(raw.buffer);
    expect(out.payload.byteOffset).toBe('__redcache:v1:12:'.length);
    expect(latin1(out.payload)).toBe('body');
  });

  it('reads values written by the Go library', () => {
    // Literal strings as the Go library stores them (delta = loader wall time in ns).
    expect(unwrapEnvelope(bytes('__redcache:v1:2500000:{"name":"ada"}'))).toEqual({
      payload: bytes('{"name":"ada"}'),
      deltaNs: 2_500_000,
    });
    expect(latin1(unwrapEnvelope(bytes('__redcache:v1:0:')).payload)).toBe('');
  });
});

describe('unwrapEnvelope: delta parsing', () => {
  it('accepts a leading + as Go strconv.ParseInt does', () => {
    const out = unwrapEnvelope(bytes('__redcache:v1:+5:body'));
    expect(latin1(out.payload)).toBe('body');
    expect(out.deltaNs).toBe(5);
  });

  it('accepts -0 as 0 (ParseInt gives 0, which is not negative)', () => {
    const out = unwrapEnvelope(bytes('__redcache:v1:-0:body'));
    expect(latin1(out.payload)).toBe('body');
    expect(out.deltaNs).toBe(0);
  });

  it('accepts leading zeros', () => {
    const out = unwrapEnvelope(bytes('__redcache:v1:007:body'));
    expect(latin1(out.payload)).toBe('body');
    expect(out.deltaNs).toBe(7);
  });

  it('accepts the largest int64', () => {
    const out = unwrapEnvelope(bytes('__redcache:v1:9223372036854775807:x'));
    expect(latin1(out.payload)).toBe('x');
    expect(out.deltaNs).toBe(Number(9223372036854775807n));
  });

  it('splits at the first colon after the prefix', () => {
    const out = unwrapEnvelope(bytes('__redcache:v1:3:4:5'));
    expect(latin1(out.payload)).toBe('4:5');
    expect(out.deltaNs).toBe(3);
  });
});

// Defect 18 of issue 10: golden vectors of Go's strconv.ParseInt(s, 10, 64) on the delta field,
// which is what the Go library's unwrap does: an optional single sign, then one or more ASCII
// digits, any number of them leading zeros, within the signed 64-bit range; an error or a
// negative number makes the value legacy. Each row: stored text, then the payload and delta
// Go reads (null: legacy, the whole string with delta 0).
/** int64 max as the nearest double, which is what `deltaNs` holds. */
const INT64_MAX_AS_NUMBER = Number(9223372036854775807n);
const GO_DELTA_VECTORS: readonly (readonly [string, string | null, number])[] = [
  // zero padding: ParseInt takes any number of leading zeros
  ['__redcache:v1:00000000000000000000005:body', 'body', 5],
  ['__redcache:v1:0000000000000000000000000000000000000000:body', 'body', 0],
  ['__redcache:v1:00:', '', 0],
  ['__redcache:v1:09223372036854775807:x', 'x', INT64_MAX_AS_NUMBER],
  [`__redcache:v1:${'0'.repeat(1000)}9223372036854775807:x`, 'x', INT64_MAX_AS_NUMBER],
  [`__redcache:v1:${'0'.repeat(1000)}1:x`, 'x', 1],
  // signs: one optional + or -; -0 is 0, which is not negative
  ['__redcache:v1:+00000000000000000000005:body', 'body', 5],
  ['__redcache:v1:-00000000000000000000000:body', 'body', 0],
  ['__redcache:v1:+0:body', 'body', 0],
  ['__redcache:v1:-00000000000000000000005:body', null, 0],
  ['__redcache:v1:-1:body', null, 0],
  ['__redcache:v1:+-0:body', null, 0],
  ['__redcache:v1:-+0:body', null, 0],
  ['__redcache:v1:--0:body', null, 0],
  ['__redcache:v1:-:body', null, 0],
  ['__redcache:v1:0+5:body', null, 0],
  // out of range: past int64 max is ErrRange, however it is padded
  ['__redcache:v1:09223372036854775808:x', null, 0],
  ['__redcache:v1:+9223372036854775808:x', null, 0],
  [`__redcache:v1:${'0'.repeat(1000)}9223372036854775808:x`, null, 0],
  ['__redcache:v1:10000000000000000000:x', null, 0],
  ['__redcache:v1:18446744073709551616:x', null, 0],
  ['__redcache:v1:-09223372036854775808:x', null, 0],
  ['__redcache:v1:-9223372036854775809:x', null, 0],
  // empty: no digits is ErrSyntax
  ['__redcache:v1::x', null, 0],
  ['__redcache:v1:+:x', null, 0],
];

describe("unwrapEnvelope: delta parsed as Go's strconv.ParseInt (golden vectors)", () => {
  it.each(GO_DELTA_VECTORS.map((row) => [row[0].length > 80 ? `${row[0].slice(0, 40)}…` : row[0], ...row]))(
    'defect 18: %s',
    (_title, text, payload, delta) => {
      const raw = bytes(text);
      const out = unwrapEnvelope(raw);
      if (payload === null) {
        expect(out.payload).toBe(raw);
      } else {
        expect(latin1(out.payload)).toBe(payload);
      }
      expect(out.deltaNs).toBe(delta);
    },
  );
});

describe('unwrapEnvelope: legacy and malformed values pass through whole, delta 0', () => {
  it.each([
    // legacy: no envelope prefix
    'plain',
    '',
    'with:colons',
    '__redcache:lock:1234',
    '__redcache:v1', // the prefix without its trailing colon
    '__redcache:v2:5:x',
    '__REDCACHE:v1:5:x',
    ' __redcache:v1:5:x',
    // malformed: prefix, but not a well-formed delta
    '__redcache:v1:notanumber:body',
    '__redcache:v1:-5:body',
    '__redcache:v1:nocolons',
    '__redcache:v1:',
    '__redcache:v1::body',
    '__redcache:v1:+:body',
    '__redcache:v1:++5:body',
    '__redcache:v1:+-5:body',
    '__redcache:v1: 5:body',
    '__redcache:v1:5 :body',
    '__redcache:v1:12abc:body', // parseInt would say 12; Go says no
    '__redcache:v1:1.5:body',
    '__redcache:v1:1e3:body',
    '__redcache:v1:0x10:body',
    '__redcache:v1:5_000:body',
    '__redcache:v1:٥:body', // ARABIC-INDIC DIGIT FIVE is not an ASCII digit
    '__redcache:v1:99999999999999999999:x', // exceeds int64
    '__redcache:v1:9223372036854775808:x', // int64 max + 1
    '__redcache:v1:-9223372036854775808:x', // int64 min: parses, but negative
  ])('%j', (text) => {
    const raw = bytes(text);
    const out = unwrapEnvelope(raw);
    expect(out.payload).toBe(raw);
    expect(out.deltaNs).toBe(0);
  });

  it('passes a binary legacy value through unchanged', () => {
    const raw = new Uint8Array([0xff, 0x00, 0x3a, 0x5f]);
    const out = unwrapEnvelope(raw);
    expect(out.payload).toBe(raw);
    expect(out.deltaNs).toBe(0);
  });

  // A malformed value whose first colon lies far after the prefix is legacy, as in Go (an early
  // version overflowed the argument spread when decoding the delta text).
  it('passes through a malformed value whose delta field is very long (no RangeError)', () => {
    const raw = bytes(`__redcache:v1:${'a'.repeat(500_000)}:x`);
    const out = unwrapEnvelope(raw);
    expect(out.payload).toBe(raw);
    expect(out.deltaNs).toBe(0);
  });
});

describe('wrapEnvelope/unwrapEnvelope: out-of-range delta', () => {
  // A delta above int64 max (about 292 years in ns) is clamped, so Go and we can still parse it.
  it('keeps a huge delta readable (clamped to int64 max)', () => {
    const out = unwrapEnvelope(wrapEnvelope('x', 1e19));
    expect(latin1(out.payload)).toBe('x');
  });
});

describe('startsWithBytes', () => {
  it.each([
    ['__redcache:v1:5:x', '__redcache:v1:', true],
    ['__redcache:v1:', '__redcache:v1:', true],
    ['__redcache:v1', '__redcache:v1:', false],
    ['__redcache:lock:x', '__redcache:v1:', false],
    ['', '', true],
    ['abc', '', true],
    ['', 'a', false],
    ['ab', 'abc', false],
    ['xbc', 'abc', false],
    ['abx', 'abc', false],
  ])('startsWithBytes(%j, %j) is %s', (raw, prefix, expected) => {
    expect(startsWithBytes(bytes(raw), bytes(prefix))).toBe(expected);
  });

  it('compares UTF-8 bytes, not characters', () => {
    expect(startsWithBytes(bytes('é'), new Uint8Array([0xc3]))).toBe(true);
    expect(startsWithBytes(bytes('é'), new Uint8Array([0xe9]))).toBe(false);
    expect(startsWithBytes(new Uint8Array([0x00, 0xff, 0x01]), new Uint8Array([0x00, 0xff]))).toBe(true);
  });

  it('respects the byteOffset of a subarray', () => {
    const whole = bytes('xx__redcache:lock:1');
    expect(startsWithBytes(whole.subarray(2), bytes('__redcache:lock:'))).toBe(true);
    expect(startsWithBytes(whole, bytes('__redcache:lock:'))).toBe(false);
  });
});
