import type { LogAttributes, Logger } from '@redcache/core';

type Level = keyof Logger;

/** redcache's `Logger` on `console`: one line per event, tagged with the connection, attributes as JSON. */
export function consoleLogger(tag: string): Logger {
  const at =
    (level: Level) =>
    (message: string, attributes: LogAttributes = {}) =>
      console[level](`   ${tag} ${level}: ${message} ${JSON.stringify(attributes)}`);
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}
