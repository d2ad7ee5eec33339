import { InvalidOptionsError } from '../errors/errors.js';
import { shownOption } from './shown-option.js';
import type { ViewOptions } from './view-options.js';
import { checkPrefix, type PrefixLimits } from './view-prefix.js';

/** A view's options, checked. */
export interface CheckedViewOptions {
  readonly prefix: string | undefined;
  readonly name: string | undefined;
}

/**
 * `ViewOptions` as `newCache` takes them: an object (or none), a `name` that is a non-empty
 * string, a `prefix` that {@link checkPrefix} takes.
 *
 * @param op - the function making the view, for the message.
 * @param options - what the caller passed.
 * @param limits - the Conn's options a prefix must not overlap.
 * @returns the prefix and the name.
 * @throws InvalidOptionsError naming the option that is wrong.
 */
export function checkViewOptions(op: string, options: unknown, limits: PrefixLimits): CheckedViewOptions {
  if (options === undefined) return { prefix: undefined, name: undefined };
  if (typeof options !== 'object' || options === null) {
    throw new InvalidOptionsError([
      `${op} options: must be an object such as { name, prefix }, got ${shownOption(options)}`,
    ]);
  }
  const { name, prefix } = options as ViewOptions;
  if (name !== undefined && (typeof name !== 'string' || name.length === 0)) {
    throw new InvalidOptionsError([`${op} name: ${shownOption(name)} must be a non-empty string`]);
  }
  return { prefix: checkPrefix(op, prefix, limits), name };
}
