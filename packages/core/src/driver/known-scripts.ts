import type { Driver } from '../driver.js';
import type { ScriptCall } from './script-call.js';

/** A pipeline of script calls and the SHA1s its server is known to hold. */
export interface ScriptBatch {
  readonly calls: readonly ScriptCall[];
  /** The scripts the server these calls go to has run for us (add to it as replies say so). */
  readonly known: Set<string>;
}

/**
 * The scripts each server has run for us, by SHA1. Redis keeps scripts per server, so on a
 * cluster each master learns a script at its first use there: a script goes by SHA only to a
 * server that has run it, and by source elsewhere — never by SHA to a master that would answer
 * NOSCRIPT and cost a resend (one more round trip, after the commands around it). Without
 * `Driver.serverOf`, every key counts as one server.
 */
export class KnownScripts {
  readonly #driver: Pick<Driver, 'serverOf'>;
  readonly #byServer = new Map<string, Set<string>>();

  constructor(driver: Pick<Driver, 'serverOf'>) {
    this.#driver = driver;
  }

  /** The set of scripts known to the server of `calls` (they share a slot, so a server). */
  on(calls: readonly ScriptCall[]): Set<string> {
    const server = this.#serverOf(calls[0]?.keys[0]);
    let known = this.#byServer.get(server);
    if (known === undefined) {
      known = new Set();
      this.#byServer.set(server, known);
    }
    return known;
  }

  #serverOf(key: string | undefined): string {
    if (key === undefined || this.#driver.serverOf === undefined) return '';
    try {
      return this.#driver.serverOf(key);
    } catch {
      return '';
    }
  }
}
