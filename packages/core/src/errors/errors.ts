const MARKER = Symbol.for('redcache.error');

/**
 * What went wrong, one code per error class (`RedcacheError.code`): `E_DECODE` `DecodeError`,
 * `E_ENCODE` `EncodeError`, `E_INVALID_KEY` `InvalidKeyError`, `E_INVALID_TTL` `InvalidTTLError`,
 * `E_LOCK_LOST` `LockLostError`, `E_BATCH` `BatchKeyError`, `E_LOADER` `MissingLoaderResultError`,
 * `E_INVALID_OPTIONS` `InvalidOptionsError`, `E_CLOSED` `ClosedError`, `E_REDIS` `RedisCommandError`,
 * `E_REENTRANT` `ReentrantLoadError`, `E_CONNECT` `ConnectError`, `E_TIMEOUT` `CommandTimeoutError`,
 * `E_UNAVAILABLE` `RedisUnavailableError`, `E_LOADER_TIMEOUT` `LoaderTimeoutError`. Stable across
 * versions: switch on it rather than on the message.
 */
export type RedcacheErrorCode =
  | 'E_DECODE'
  | 'E_ENCODE'
  | 'E_INVALID_KEY'
  | 'E_INVALID_TTL'
  | 'E_LOCK_LOST'
  | 'E_BATCH'
  | 'E_LOADER'
  | 'E_INVALID_OPTIONS'
  | 'E_CLOSED'
  | 'E_REDIS'
  | 'E_REENTRANT'
  | 'E_CONNECT'
  | 'E_TIMEOUT'
  | 'E_UNAVAILABLE'
  | 'E_LOADER_TIMEOUT';

/** Where an error happened, given to `RedcacheError`'s constructor. */
export interface RedcacheErrorContext {
  /** The operation that failed: `get`, `getMulti`, `peek`, `read`, `lock`, `set`, … */
  readonly op?: string | undefined;
  /** The key (as the caller gave it, or the Redis key where only that is known). */
  readonly key?: unknown;
  /** The underlying error (a client's, a codec's, a loader's), kept as the error's `cause`. */
  readonly cause?: unknown;
}

/** The base of every error the library throws. `code` tells them apart; `cause` is the underlying error. */
export class RedcacheError extends Error {
  /** What went wrong, one code per error class (`'E_DECODE'`, `'E_TIMEOUT'`, …): switch on this. */
  readonly code: RedcacheErrorCode;
  /** The operation that failed (`get`, `getMulti`, `set`, `connect`, …), when known. */
  readonly op: string | undefined;
  /** The key as the caller gave it (an array for a multi-key call), or the Redis key where only that is known. */
  readonly key: unknown;

  /**
   * @param code - what went wrong.
   * @param message - the whole message (by convention `redcache: <op>: …`).
   * @param context - the operation, the key and the underlying error (default: none known).
   */
  constructor(code: RedcacheErrorCode, message: string, context: RedcacheErrorContext = {}) {
    super(message, context.cause === undefined ? undefined : { cause: context.cause });
    this.name = 'RedcacheError';
    this.code = code;
    this.op = context.op;
    this.key = context.key;
    Object.defineProperty(this, MARKER, { value: true });
  }

  /**
   * True for any redcache error, even one thrown by another copy of the package (where
   * `instanceof` is false).
   *
   * @param error - anything caught.
   * @returns whether `error` is a `RedcacheError` of any copy of `@redcache/core`.
   */
  static isInstance(error: unknown): error is RedcacheError {
    return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[MARKER] === true;
  }
}

/**
 * Formats a key for an error message.
 *
 * @param key - any key (a string, a number, an object, an array of keys).
 * @returns the key as JSON where it has one, else `String(key)`.
 */
export function describeKey(key: unknown): string {
  if (typeof key === 'string') return JSON.stringify(key);
  try {
    return JSON.stringify(key) ?? String(key);
  } catch {
    return String(key);
  }
}

/** A stored value could not be decoded by the view's codec (or failed its schema). */
export class DecodeError extends RedcacheError {
  /**
   * @param op - the operation that read the value (`get`, `peek`, …).
   * @param key - the key, as the caller gave it.
   * @param cause - what the codec (or the schema) threw or reported.
   */
  constructor(op: string, key: unknown, cause: unknown) {
    super('E_DECODE', `redcache: ${op}: decode key ${describeKey(key)}: ${messageOf(cause)}`, {
      op,
      key,
      cause,
    });
    this.name = 'DecodeError';
  }
}

/** A value could not be encoded by the view's codec (for example JSON of `undefined` or a BigInt). */
export class EncodeError extends RedcacheError {
  /**
   * @param op - the operation that wrote the value (`get` after a load, `set`, `forceSet`, …).
   * @param key - the key, as the caller gave it.
   * @param cause - what the codec threw.
   */
  constructor(op: string, key: unknown, cause: unknown) {
    super('E_ENCODE', `redcache: ${op}: encode value for key ${describeKey(key)}: ${messageOf(cause)}`, {
      op,
      key,
      cause,
    });
    this.name = 'EncodeError';
  }
}

/** A key codec produced an empty key or threw. */
export class InvalidKeyError extends RedcacheError {
  /**
   * @param op - the operation given the key.
   * @param key - the key, as the caller gave it.
   * @param reason - what is wrong with it (for example `the key codec returned an empty string`).
   * @param cause - what the key codec threw, when it threw.
   */
  constructor(op: string, key: unknown, reason: string, cause?: unknown) {
    super('E_INVALID_KEY', `redcache: ${op}: invalid key ${describeKey(key)}: ${reason}`, { op, key, cause });
    this.name = 'InvalidKeyError';
  }
}

/**
 * A ttl that is no `Duration` greater than 0 (a number of ms, or a string such as
 * `'90s'`), or is beyond the longest ttl (about 292 years). The message names the operation,
 * the key and the value, and for a likely mistake (a loader where the ttl belongs, an options
 * object where the key belongs, `'5 minutes'`) shows the right call.
 */
export class InvalidTTLError extends RedcacheError {
  /** The ttl as the caller gave it (a number, a string, or whatever else was passed). */
  readonly ttlMs: unknown;
  /**
   * @param op - the operation (`get`, `touchMulti`, …).
   * @param key - the key or keys, as the caller gave them.
   * @param ttlMs - the ttl as given.
   * @param rule - what the ttl must be, when it is not the default (a number of ms > 0 or a duration string).
   * @param hint - how to put the call right, appended to the message.
   */
  constructor(op: string, key: unknown, ttlMs: unknown, rule?: string, hint?: string) {
    super(
      'E_INVALID_TTL',
      `redcache: ${op}: ttl ${rule ?? "must be a number of milliseconds > 0 or a duration string such as '90s'"}, got ${showValue(ttlMs)} (key ${describeKey(key)})${hint === undefined ? '' : `; ${hint}`}`,
      { op, key },
    );
    this.name = 'InvalidTTLError';
    this.ttlMs = ttlMs;
  }
}

/** A value in a message: a number as it is, a function by name, anything else with its type. */
function showValue(value: unknown): string {
  if (typeof value === 'number') return String(value);
  if (value === undefined) return 'nothing';
  if (typeof value === 'function') return `a function (${value.name === '' ? 'anonymous' : value.name})`;
  return `${describeKey(value)} (${value === null ? 'null' : typeof value})`;
}

/** Our lock on a key was overwritten, deleted or expired before our value could be written. */
export class LockLostError extends RedcacheError {
  /**
   * @param op - the write whose lock was lost (`set`, `setMulti`).
   * @param key - the key, as the caller gave it.
   */
  constructor(op: string, key: unknown) {
    super(
      'E_LOCK_LOST',
      `redcache: ${op}: lock lost for key ${describeKey(key)}: it was overwritten or expired`,
      {
        op,
        key,
      },
    );
    this.name = 'LockLostError';
  }
}

/** A multi-key loader did not return some of the keys it was asked for. */
export class MissingLoaderResultError extends RedcacheError {
  /** The keys the loader's `Map` had no entry for, as the caller gave them. */
  readonly keys: readonly unknown[];
  /**
   * @param op - the multi-key call (`getMulti`, `setMulti`).
   * @param keys - the keys the loader left out.
   */
  constructor(op: string, keys: readonly unknown[]) {
    super(
      'E_LOADER',
      `redcache: ${op}: loader returned no value for keys [${keys.map(describeKey).join(', ')}]`,
      {
        op,
        key: keys.length === 1 ? keys[0] : keys,
      },
    );
    this.name = 'MissingLoaderResultError';
    this.keys = keys;
  }
}

/**
 * `Conn.open` (or `connect`) was given wrong options, or a call wrong per-call options
 * (`failSafe`, `loaderTimeout`): the message lists every wrong option with its path (such as
 * `failSafe.maxStaleMs`) and what it must be.
 */
export class InvalidOptionsError extends RedcacheError {
  /** One line per wrong option: its path and what it must be. */
  readonly issues: readonly string[];
  /** @param issues - one line per wrong option, its path first. */
  constructor(issues: readonly string[]) {
    super('E_INVALID_OPTIONS', `redcache: invalid options: ${issues.join('; ')}`, { op: 'open' });
    this.name = 'InvalidOptionsError';
    this.issues = issues;
  }
}

/** The connection was closed: pending and later calls reject with this. */
export class ClosedError extends RedcacheError {
  /**
   * @param op - the call that found the connection closed, when there is one.
   * @param key - its key, when it has one.
   */
  constructor(op?: string, key?: unknown) {
    const where = op === undefined ? '' : ` (${op}${key === undefined ? '' : ` ${describeKey(key)}`})`;
    super('E_CLOSED', `redcache: connection closed${where}`, { op, key });
    this.name = 'ClosedError';
  }
}

/** A Redis command failed: the server replied with an error, or the connection failed. */
export class RedisCommandError extends RedcacheError {
  /** True when nothing could be sent or read (a lost connection), false for an error reply from Redis. */
  readonly transport: boolean;
  /** The server (`host:port`) a lost connection went to, when the driver names it. */
  readonly server: string | undefined;
  /**
   * @param op - the operation that sent the command.
   * @param key - the key, as the caller gave it (or the Redis key).
   * @param cause - the error reply or the client's error.
   * @param transport - true when the connection failed rather than Redis replying with an error (default false).
   * @param server - the server (`host:port`), when the driver names it.
   */
  constructor(op: string, key: unknown, cause: unknown, transport = false, server?: string) {
    const where = server === undefined ? '' : `Redis ${server}: `;
    super('E_REDIS', `redcache: ${op} key ${describeKey(key)}: ${where}${messageOf(cause)}`, {
      op,
      key,
      cause,
    });
    this.name = 'RedisCommandError';
    this.transport = transport;
    this.server = server;
  }
}

/**
 * The message of a thrown value, for an error message.
 *
 * @param error - anything thrown.
 * @returns its `message`, or its name when it has no message, or `String(error)` for a non-error.
 */
export function messageOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  if (error.message !== '') return error.message;
  // Some client errors carry no message (node-redis's command TimeoutError): say what it was.
  const kind = error.name !== 'Error' ? error.name : error.constructor.name;
  return `${kind} (no message)`;
}
