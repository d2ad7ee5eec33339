import type { LogAttributes, Logger } from '../logger.js';

/** A log method shaped like pino's: the attributes object first, then the message. */
export type PinoLogMethod = (attributes: LogAttributes, message: string) => void;

/** What {@link pinoLogger} needs of a pino logger (a `pino()` instance or a child of one). */
export interface PinoLike {
  /** pino's `debug`: receives redcache's debug records. */
  debug: PinoLogMethod;
  /** pino's `info`: receives redcache's info records. */
  info: PinoLogMethod;
  /** pino's `warn`: receives redcache's warn records. */
  warn: PinoLogMethod;
  /** pino's `error`: receives redcache's error records. */
  error: PinoLogMethod;
}

/**
 * A {@link Logger} that writes through pino: each record becomes one pino record with
 * redcache's attributes (`op`, `key`, `server`, …) as its fields and redcache's text as `msg`.
 * Core does not depend on pino; any logger with pino's `(object, message)` methods fits.
 *
 * @param pino - a pino logger, e.g. `pino()` or `pino().child({ component: 'cache' })`.
 * @returns a `Logger` for `Options.logger`.
 * @example
 * ```ts
 * const conn = await connect({ url }, { logger: pinoLogger(pino()) });
 * ```
 */
export function pinoLogger(pino: PinoLike): Logger {
  return {
    debug: (message, attributes) => pino.debug(attributes ?? {}, message),
    info: (message, attributes) => pino.info(attributes ?? {}, message),
    warn: (message, attributes) => pino.warn(attributes ?? {}, message),
    error: (message, attributes) => pino.error(attributes ?? {}, message),
  };
}
