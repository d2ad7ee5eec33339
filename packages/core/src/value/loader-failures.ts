import { EncodeError, MissingLoaderResultError } from '../errors/errors.js';

/** The error for each key a loader failed: one `MissingLoaderResultError` naming every omitted key, an `EncodeError` per value. */
export function failedErrors(
  op: string,
  failed: ReadonlyMap<string, unknown>,
  originalOf: (key: string) => unknown,
): Map<string, Error> {
  const omitted = [...failed].filter(([, cause]) => cause === undefined).map(([key]) => key);
  const missing = new MissingLoaderResultError(op, omitted.map(originalOf));
  const errors = new Map<string, Error>();
  for (const [key, cause] of failed) {
    errors.set(key, cause === undefined ? missing : new EncodeError(op, originalOf(key), cause));
  }
  return errors;
}
