import { ErrorReply } from '@redis/client';

/**
 * True when Redis answered the command with an error (`-ERR …`, `-NOSCRIPT …`, `!…`), as
 * opposed to a failure of the connection or the client. Also recognises an `ErrorReply`
 * from a second copy of `@redis/client` in the dependency tree.
 */
export function isErrorReply(error: unknown): boolean {
  if (error instanceof ErrorReply) return true;
  for (let prototype = error; typeof prototype === 'object' && prototype !== null; ) {
    prototype = Object.getPrototypeOf(prototype) as unknown;
    const name = (prototype as { constructor?: { name?: unknown } } | null)?.constructor?.name;
    if (name === 'ErrorReply') return true;
  }
  return false;
}
