/** A log record's attributes: `op`, `key` or `keys`, `server`, `error`, … (see docs/logging.md). */
export type LogAttributes = Record<string, unknown>;

/**
 * A structured logger: each record is a message and its attributes (`op`, `key` or `keys`,
 * `server`, `error`, …). `console` fits as it is; pino fits through `pinoLogger(pino())`.
 * redcache writes nothing anywhere unless it is given a logger.
 */
export interface Logger {
  /**
   * Detail for finding a problem (a wait for another caller's lock ended). Must not throw.
   *
   * @param message - the record's text.
   * @param attributes - its structured attributes.
   */
  debug(message: string, attributes?: LogAttributes): void;
  /**
   * An event of normal operation worth knowing. Must not throw.
   *
   * @param message - the record's text.
   * @param attributes - its structured attributes.
   */
  info(message: string, attributes?: LogAttributes): void;
  /**
   * Something failed and was handled or will be retried (an unlock, Redis going down, a connect
   * attempt to retry). Must not throw.
   *
   * @param message - the record's text.
   * @param attributes - its structured attributes.
   */
  warn(message: string, attributes?: LogAttributes): void;
  /**
   * Something failed that nothing retries (a refresh-ahead run, connecting for good, a listener
   * that threw). Must not throw.
   *
   * @param message - the record's text.
   * @param attributes - its structured attributes.
   */
  error(message: string, attributes?: LogAttributes): void;
}

/** The default logger: says nothing. */
export const silentLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
};
