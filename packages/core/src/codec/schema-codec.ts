import type { Codec } from '../codec.js';
import { JSONCodec } from './ready-codecs.js';

/** A path segment of a Standard Schema issue. */
export interface StandardSchemaPathSegment {
  readonly key: PropertyKey;
}

/** One problem a Standard Schema found. */
export interface StandardSchemaIssue {
  readonly message: string;
  readonly path?: ReadonlyArray<PropertyKey | StandardSchemaPathSegment> | undefined;
}

export type StandardSchemaResult<Output> =
  | { readonly value: Output; readonly issues?: undefined }
  | { readonly issues: ReadonlyArray<StandardSchemaIssue> };

/** The Standard Schema interface (standardschema.dev), version 1. zod 4, valibot and arktype implement it. */
export interface StandardSchemaV1<Input = unknown, Output = Input> {
  readonly '~standard': {
    readonly version: 1;
    readonly vendor: string;
    readonly validate: (
      value: unknown,
    ) => StandardSchemaResult<Output> | Promise<StandardSchemaResult<Output>>;
    readonly types?: { readonly input: Input; readonly output: Output } | undefined;
  };
}

/** A schema failed: the message lists its issues. */
export class SchemaValidationError extends Error {
  readonly issues: ReadonlyArray<StandardSchemaIssue>;
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
