import { createHash } from 'node:crypto';

/** A Lua script as the engine sends it: EVALSHA by `sha1`, EVAL of `source` on NOSCRIPT. */
export interface Script {
  readonly name: string;
  readonly source: string;
  readonly sha1: string;
}

export function defineScript(name: string, source: string): Script {
  return { name, source, sha1: createHash('sha1').update(source).digest('hex') };
}
