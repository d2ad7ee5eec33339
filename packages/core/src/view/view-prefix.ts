import type { KeyCodec } from '../codec.js';
import { InvalidOptionsError } from '../errors/errors.js';
import { shownOption } from './shown-option.js';

/** What a prefix must not overlap: the connection's own key namespace (refresh locks). */
export interface PrefixLimits {
  readonly refreshLockPrefix: string;
}

/** `String.prototype.isWellFormed` (Node 20; typed only in lib ES2024, which this build does not load). */
const isWellFormed = (text: string): boolean =>
  (text as unknown as { isWellFormed(): boolean }).isWellFormed();

/**
 * Checks `ViewOptions.prefix`: undefined (no prefix), or a non-empty string of well-formed
 * UTF-16 (what the wire format allows in a key) that neither starts the connection's
 * `refreshLockPrefix` nor starts with it (a view's keys would be, or `clear()` would remove,
 * another view's refresh locks). A `{` must open a complete, non-empty hash tag (`{users}:`):
 * an unclosed one would take its end from each key, and `{}` would make Redis ignore the keys'
 * own hash tags. Throws `InvalidOptionsError` naming `prefix` and the value.
 */
export function checkPrefix(op: string, prefix: unknown, limits: PrefixLimits): string | undefined {
  if (prefix === undefined) return undefined;
  const issue = prefixIssue(prefix, limits);
  if (issue !== undefined) {
    throw new InvalidOptionsError([`${op} prefix: ${shownOption(prefix)} ${issue}`]);
  }
  return prefix as string;
}

function prefixIssue(prefix: unknown, limits: PrefixLimits): string | undefined {
  if (typeof prefix !== 'string') return 'must be a string, such as "users:"';
  if (prefix.length === 0) return 'must not be empty (leave it out for no prefix)';
  if (!isWellFormed(prefix))
    return 'is not well-formed UTF-16 (it holds a lone surrogate): Redis would store U+FFFD in its place';
  const refresh = limits.refreshLockPrefix;
  if (prefix.startsWith(refresh) || refresh.startsWith(prefix))
    return `overlaps refreshLockPrefix ${JSON.stringify(refresh)}: the view's keys would share the refresh locks' namespace, and clear() would remove them`;
  const open = prefix.indexOf('{');
  if (open < 0) return undefined;
  const close = prefix.indexOf('}', open + 1);
  if (close < 0)
    return "has a '{' with no '}' after it: each key's hash slot would depend on the first '}' in the key";
  if (close === open + 1)
    return "holds the empty hash tag '{}': Redis would hash the whole key and ignore the keys' own hash tags";
  return undefined;
}

/**
 * The view's key codec with its prefix: `prefix + keyCodec.encodeKey(key)`. What is no
 * non-empty string passes through as it is, so a codec's mistake is reported exactly as it is
 * without a prefix, naming the caller's key.
 */
export function prefixedKeyCodec<K>(keyCodec: KeyCodec<K>, prefix: string | undefined): KeyCodec<K> {
  if (prefix === undefined) return keyCodec;
  return {
    encodeKey(key: K): string {
      const encoded: unknown = keyCodec.encodeKey(key);
      return typeof encoded === 'string' && encoded.length > 0 ? prefix + encoded : (encoded as string);
    },
  };
}
