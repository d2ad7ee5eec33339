import { DURATION_GRAMMAR, suggestDuration } from './parse-duration.js';

/** The right call of each operation that takes a ttl, as error messages show it. */
const CALLS: Readonly<Record<string, string>> = {
  get: 'get(key, ttlMs, loader)',
  getMulti: 'getMulti(keys, ttlMs, loader)',
  peek: 'peek(key, ttlMs)',
  set: 'set(key, ttlMs, loader)',
  setMulti: 'setMulti(keys, ttlMs, loader)',
  forceSet: 'forceSet(key, ttlMs, value)',
  forceSetMulti: 'forceSetMulti(values, ttlMs)',
  touch: 'touch(key, ttlMs)',
  touchMulti: 'touchMulti(keys, ttlMs)',
};

/** Operations whose loader comes after the ttl. */
const TAKES_LOADER = new Set(['get', 'getMulti', 'set', 'setMulti']);

/** Operations where a ttl of 0 or less may have meant "remove it now", which `del` does. */
const REMOVES = new Set(['set', 'setMulti', 'forceSet', 'forceSetMulti', 'touch', 'touchMulti']);

/** Fields of the options objects other libraries take in place of a key (`{ key, ttl, factory }`). */
const OPTION_FIELDS = ['key', 'keys', 'ttl', 'ttlMs', 'factory', 'loader', 'value'];

/** What the error says a ttl must be, and how the call is put right. */
export interface TtlMistake {
  /** What the ttl must be. */
  readonly rule: string;
  /** How to put the call right, or undefined when the rule says it all. */
  readonly hint: string | undefined;
}

/**
 * Why `ttl` is not a ttl of `op`, named after the mistake it most likely is: a loader or an
 * options object where the ttl belongs, an options object where the key belongs (other
 * libraries' `get({ key, ttl, factory })`), a word for a unit (`'5 minutes'`), a value where
 * the ttl belongs (`forceSet(key, value, ttl)`). Each hint shows `op`'s right call; "use
 * del" only on the writes, where a ttl of 0 may have meant "remove".
 *
 * @param ttl - the ttl as the caller gave it (already found invalid).
 * @param op - the operation (`get`, `touchMulti`, …).
 * @param key - the key (or keys) as the caller gave them.
 * @returns the rule and the hint for `InvalidTTLError`.
 */
export function ttlMistake(ttl: unknown, op: string, key: unknown): TtlMistake {
  const call = CALLS[op];
  const rule = `must be greater than 0: ${DURATION_GRAMMAR}`;
  const shows = (what: string) => (call === undefined ? what : `${what}: the call is ${call}`);
  if (typeof ttl === 'function') {
    const order = TAKES_LOADER.has(op) ? ' (the ttl comes before the loader)' : '';
    return { rule, hint: shows(`a function was given where the ttl belongs${order}`) };
  }
  if (ttl === undefined && looksLikeOptions(key)) {
    return {
      rule,
      hint: shows(`${op} takes its arguments in order, not one options object ${describeFields(key)}`),
    };
  }
  if (ttl === undefined) return { rule, hint: shows('no ttl was given') };
  if (typeof ttl === 'string') return { rule, hint: stringHint(ttl, op, shows) };
  if (typeof ttl === 'number') return { rule, hint: removes(ttl <= 0, op) };
  if (typeof ttl === 'object' && ttl !== null && !Array.isArray(ttl))
    return {
      rule,
      hint: shows('an object was given where the ttl belongs: a ttl is a number of ms or a duration string'),
    };
  return { rule, hint: shows(`a ${ttl === null ? 'null' : typeof ttl} was given where the ttl belongs`) };
}

function stringHint(ttl: string, op: string, shows: (what: string) => string): string | undefined {
  const trimmed = ttl.trim();
  if (trimmed.startsWith('-') || /^0+(\.0+)?[a-z]*$/.test(trimmed)) return removes(true, op);
  const suggestion = suggestDuration(ttl);
  if (suggestion !== undefined) return `write ${JSON.stringify(suggestion)}`;
  return shows('a string that is no duration was given');
}

function removes(notPositive: boolean, op: string): string | undefined {
  return notPositive && REMOVES.has(op) ? 'to remove a key, use del' : undefined;
}

function looksLikeOptions(key: unknown): key is Record<string, unknown> {
  if (typeof key !== 'object' || key === null || Array.isArray(key)) return false;
  return OPTION_FIELDS.some((field) => Object.hasOwn(key, field));
}

/** `{ key, ttl, factory }`: the field names of an options object (values can be large). */
function describeFields(options: Record<string, unknown>): string {
  return `({ ${Object.keys(options).slice(0, 6).join(', ')} })`;
}
