import type { Codec } from '../codec.js';
import { JSONCodec } from './ready-codecs.js';

/** A path segment of a Standard Schema issue. */
export interface StandardSchemaPathSegment {
  /** The property or index this segment steps into. */
  readonly key: PropertyKey;
}

/** One problem a Standard Schema found. */
export interface StandardSchemaIssue {
  /** What is wrong, in the schema library's words. */
  readonly message: string;
  /** Where in the value, outermost first; absent for the value as a whole. */
  readonly path?: ReadonlyArray<PropertyKey | StandardSchemaPathSegment> | undefined;
}

/** What a Standard Schema's `validate` returns: the value it accepted, or the issues it found. */
export type StandardSchemaResult<Output> =
  | {
      /** The validated (and possibly transformed) value. */
      readonly value: Output;
      /** Absent on success. */
      readonly issues?: undefined;
    }
  | {
      /** The problems found; the value was refused. */
      readonly issues: ReadonlyArray<StandardSchemaIssue>;
    };

/** The Standard Schema interface (standardschema.dev), version 1. zod 4, valibot and arktype implement it. */
export interface StandardSchemaV1<Input = unknown, Output = Input> {
  /** The schema's Standard Schema properties. */
  readonly '~standard': {
    /** The version of the Standard Schema interface: 1. */
    readonly version: 1;
    /** The library that made the schema (`'zod'`, `'valibot'`, `'arktype'`, …). */
    readonly vendor: string;
    /** Validates a value; `schemaCodec` needs it to return synchronously (no `Promise`). */
    readonly validate: (
      value: unknown,
    ) => StandardSchemaResult<Output> | Promise<StandardSchemaResult<Output>>;
    /** The schema's input and output types, for inference only (absent at run time). */
    readonly types?:
      | {
          /** The type the schema accepts. */
          readonly input: Input;
          /** The type it produces. */
          readonly output: Output;
        }
      | undefined;
  };
}

/**
 * A schema refused a value: the message lists its issues. Thrown by a `schemaCodec`'s `encode`
 * and `decode`, so it reaches callers as the `cause` of an `EncodeError` or a `DecodeError`.
 */
export class SchemaValidationError extends Error {
  /** The problems the schema found. */
  readonly issues: ReadonlyArray<StandardSchemaIssue>;
  /** @param issues - the problems the schema found. */
  constructor(issues: ReadonlyArray<StandardSchemaIssue>) {
    super(`schema validation failed: ${issues.map(describeIssue).join('; ')}`);
    this.name = 'SchemaValidationError';
    this.issues = issues;
  }
}

/**
 * JSON values validated by a Standard Schema on decode (and on encode, so a loader cannot
 * store what readers would reject). A stored value that fails validation is a `DecodeError`.
 * The schema must validate synchronously.
 *
 * @param schema - a Standard Schema (zod 4, valibot, arktype, …) whose `validate` is synchronous.
 * @returns a codec storing JSON and checking it with `schema` both ways.
 * @throws SchemaValidationError from `encode` or `decode` for a value the schema refuses
 *   (reaching callers as the `cause` of an `EncodeError` or `DecodeError`); `TypeError` from
 *   them for a schema that validates asynchronously.
 * @example
 * ```ts
 * const users = newCache(conn, StringKeyCodec, schemaCodec(z.object({ name: z.string() })));
 * ```
 */
export function schemaCodec<V>(schema: StandardSchemaV1<unknown, V>): Codec<V> {
  const json = JSONCodec<unknown>();
  const check = (value: unknown): V => {
    const result = schema['~standard'].validate(value);
    if (result instanceof Promise)
      throw new TypeError('schemaCodec needs a schema that validates synchronously');
    if (result.issues !== undefined) throw new SchemaValidationError(result.issues);
    return result.value;
  };
  return {
    encode: (value) => json.encode(check(value)),
    decode: (raw) => check(json.decode(raw)),
  };
}

function describeIssue(issue: StandardSchemaIssue): string {
  if (!issue.path?.length) return issue.message;
  const path = issue.path
    .map((segment) => String(typeof segment === 'object' ? segment.key : segment))
    .join('.');
  return `${path}: ${issue.message}`;
}
