export type LogAttributes = Record<string, unknown>;

/**
 * A structured logger: each record is a message and its attributes (`op`, `key` or `keys`,
 * `server`, `error`, …). `console` fits as it is; pino fits through `pinoLogger(pino())`.
 * redcache writes nothing anywhere unless it is given a logger.
 */
export interface Logger {
  debug(message: string, attributes?: LogAttributes): void;
  info(message: string, attributes?: LogAttributes): void;
  warn(message: string, attributes?: LogAttributes): void;
  error(message: string, attributes?: LogAttributes): void;
}

/** The default logger: says nothing. */
export const silentLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
};
