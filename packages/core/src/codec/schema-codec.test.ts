import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { StandardSchemaV1 } from './schema-codec.js';
import { SchemaValidationError, schemaCodec } from './schema-codec.js';

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

const User = z.object({
  id: z.number().int(),
  name: z.string().min(1),
  address: z.object({ city: z.string(), zip: z.string().regex(/^\d{5}$/) }),
  tags: z.array(z.string()),
});
type User = z.infer<typeof User>;

const ada: User = { id: 1, name: 'Ada', address: { city: 'London', zip: '12345' }, tags: ['math'] };

function caught(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to throw');
}

describe('schemaCodec with zod 4', () => {
  const codec = schemaCodec<User>(User);

  it('round-trips a valid value through JSON bytes', () => {
    const encoded = codec.encode(ada);
    expect(encoded).toBe(JSON.stringify(ada));
    const bytes = typeof encoded === 'string' ? utf8(encoded) : encoded;
    expect(codec.decode(bytes)).toEqual(ada);
  });

  it('decodes a valid JSON string', () => {
    expect(codec.decode(JSON.stringify(ada))).toEqual(ada);
  });

  it('throws SchemaValidationError with the issue path when decoding a value that fails the schema', () => {
    const stored = JSON.stringify({ ...ada, address: { city: 'London', zip: 'nope' } });
    const error = caught(() => codec.decode(utf8(stored)));
    expect(error).toBeInstanceOf(SchemaValidationError);
    const { message, name, issues } = error as SchemaValidationError;
    expect(name).toBe('SchemaValidationError');
    expect(message).toMatch(/^schema validation failed: /);
    expect(message).toContain('address.zip: ');
    expect(issues).toHaveLength(1);
  });

  it('lists every failing issue with its path, array indices included', () => {
    const stored = JSON.stringify({
      id: 1.5,
      name: '',
      address: { city: 'x', zip: '12345' },
      tags: ['ok', 7],
    });
    const error = caught(() => codec.decode(stored));
    expect(error).toBeInstanceOf(SchemaValidationError);
    const { message, issues } = error as SchemaValidationError;
    expect(message).toContain('id: ');
    expect(message).toContain('name: ');
    expect(message).toContain('tags.1: ');
    expect(issues).toHaveLength(3);
  });

  it('reports an issue at the root without a path', () => {
    const error = caught(() => codec.decode('"just a string"'));
    expect(error).toBeInstanceOf(SchemaValidationError);
    const { message, issues } = error as SchemaValidationError;
    expect(issues).toHaveLength(1);
    expect(message).toBe(`schema validation failed: ${issues[0]?.message}`);
    expect(message).toContain('expected object');
  });

  it('lets a JSON syntax error through as SyntaxError (not a schema error)', () => {
    expect(() => codec.decode('{oops')).toThrow(SyntaxError);
  });

  it('throws SchemaValidationError when encoding an invalid value, so nothing invalid is stored', () => {
    const invalid = { ...ada, name: '' };
    expect(() => codec.encode(invalid)).toThrow(SchemaValidationError);
    expect(() => codec.encode(invalid)).toThrow(/name: /);
  });

  it('validates primitives too', () => {
    const count = schemaCodec(z.number().nonnegative());
    expect(count.decode('42')).toBe(42);
    expect(() => count.decode('-1')).toThrow(SchemaValidationError);
    expect(() => count.encode(-1)).toThrow(SchemaValidationError);
  });

  it('decodes to what the schema outputs (defaults applied)', () => {
    const withDefault = schemaCodec(z.object({ n: z.number(), label: z.string().default('none') }));
    expect(withDefault.decode('{"n":1}')).toEqual({ n: 1, label: 'none' });
  });

  describe('an async schema', () => {
    const asyncSchema = z.string().refine(async (value) => value.length > 0);

    it("makes zod 4's ~standard.validate return a Promise", async () => {
      const result = asyncSchema['~standard'].validate('x');
      expect(result).toBeInstanceOf(Promise);
      await expect(result).resolves.toEqual({ value: 'x' });
    });

    it('is refused with a TypeError saying it must validate synchronously', () => {
      const codec = schemaCodec(asyncSchema);
      expect(() => codec.decode('"x"')).toThrow(TypeError);
      expect(() => codec.decode('"x"')).toThrow(/synchronous/);
      expect(() => codec.encode('x')).toThrow(/synchronous/);
    });
  });
});

describe('schemaCodec with a hand-written Standard Schema', () => {
  const evenNumber: StandardSchemaV1<number> = {
    '~standard': {
      version: 1,
      vendor: 'test',
      validate: (value) =>
        typeof value === 'number' && value % 2 === 0
          ? { value }
          : { issues: [{ message: 'must be an even number', path: ['count'] }] },
    },
  };

  it('accepts values the schema accepts and rejects the rest', () => {
    const codec = schemaCodec(evenNumber);
    expect(codec.decode('4')).toBe(4);
    expect(() => codec.decode('3')).toThrow('schema validation failed: count: must be an even number');
  });

  it('uses the value the schema returns', () => {
    const trimmed: StandardSchemaV1<string> = {
      '~standard': {
        version: 1,
        vendor: 'test',
        validate: (value) =>
          typeof value === 'string' ? { value: value.trim() } : { issues: [{ message: 'x' }] },
      },
    };
    expect(schemaCodec(trimmed).decode('"  padded  "')).toBe('padded');
  });

  // The Standard Schema spec lets a path hold PathSegment objects (`{ key }`); valibot passes its issue
  // path items as such objects. The message must show the key, not "[object Object]".
  it('names the key of a PathSegment path item ({ key }) in the message', () => {
    const segmented: StandardSchemaV1<number> = {
      '~standard': {
        version: 1,
        vendor: 'test',
        validate: () => ({ issues: [{ message: 'required', path: [{ key: 'user' }, { key: 'id' }] }] }),
      },
    };
    expect(() => schemaCodec(segmented).decode('1')).toThrow('schema validation failed: user.id: required');
  });
});
