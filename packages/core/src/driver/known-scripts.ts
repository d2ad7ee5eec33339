import type { Driver, RedisCommand } from '../driver.js';
import { type ScriptCall, toEval, toEvalSha } from './script-call.js';

/**
 * The scripts each server has been sent by source, by SHA1. Redis keeps scripts per server,
 * so on a cluster each master learns a script at its first use there: a script goes by SHA
 * only to a server it was sent to, and by source elsewhere — never by SHA to a master that
 * would answer NOSCRIPT and cost a resend (one more round trip, after the commands around it).
 * A script counts as known from the moment its source is sent, not from its reply: a server
 * runs the commands of one connection in order, so the calls sent after it (in the same
 * pipeline, or concurrently, as in a burst right after connect) go by SHA and find it cached —
 * one EVAL per script and server, not one per call in flight. Should the EVAL not have
 * run (the connection was lost, the server restarted or flushed its scripts), those calls
 * answer NOSCRIPT and are re-sent by source (see runtime-driver.ts). Without
 * `Driver.serverOf`, every key counts as one server.
 */
export class KnownScripts {
  readonly #driver: Pick<Driver, 'serverOf'>;
  readonly #byServer = new Map<string, Set<string>>();

  constructor(driver: Pick<Driver, 'serverOf'>) {
    this.#driver = driver;
  }

  /**
   * The calls as commands (they share a slot, so a server): EVALSHA for a script that server
   * was sent, EVAL for one it was not, which counts as sent from now on.
   */
  commandsFor(calls: readonly ScriptCall[]): RedisCommand[] {
    const known = this.#on(calls[0]?.keys[0]);
    const commands = new Array<RedisCommand>(calls.length);
    for (let index = 0; index < calls.length; index++) {
      const call = calls[index]!;
      const sha1 = call.script.sha1;
      if (known.has(sha1)) commands[index] = toEvalSha(call);
      else {
        known.add(sha1);
        commands[index] = toEval(call);
      }
    }
    return commands;
  }

  #on(key: string | undefined): Set<string> {
    const server = this.#serverOf(key);
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
