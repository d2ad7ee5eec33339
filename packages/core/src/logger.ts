export type LogAttributes = Record<string, unknown>;

/**
 * A structured logger. `console` fits as it is; pino fits with
 * `{ debug: (m, a) => pino.debug(a, m), info: …, warn: …, error: … }`.
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
