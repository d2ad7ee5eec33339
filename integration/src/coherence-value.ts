import { unwrapEnvelope } from '@redcache/core/wire';

/**
 * A value of the coherence stress test: `<version>:<writer>:<counter>`. `version` is taken from
 * the run's version counter (`INCR`) while the writer holds the key's writer mutex
 * (coherence-key-mutex.ts), so per key it grows in the order the writes land in Redis; `writer`
 * and `counter` make every value unique, so a value replaced in Redis never comes back.
 */
export interface StressValue {
  readonly version: number;
  readonly writer: string;
  readonly counter: number;
}

/** The text a stress writer stores. */
export function formatStressValue(value: StressValue): string {
  return `${value.version}:${value.writer}:${value.counter}`;
}

/** The version of a stress value's text; throws on anything else (a value the test did not write). */
export function versionOf(text: string): number {
  const match = /^(\d+):[^:]+:\d+$/.exec(text);
  if (match === null) throw new Error(`not a stress value: ${JSON.stringify(text)}`);
  return Number(match[1]);
}

/** The lock prefix every Conn of the tests uses (the default `lockPrefix`). */
export const DEFAULT_LOCK_PREFIX = '__redcache:lock:';

const decoder = new TextDecoder();

/**
 * The payload text of what a raw `GET` returned (bytes or text), out of its envelope: null for
 * a missing key or a redcache lock (`lockPrefix`).
 */
export function payloadOfStored(raw: unknown, lockPrefix: string): string | null {
  if (raw === null || raw === undefined) return null;
  const bytes = typeof raw === 'string' ? new TextEncoder().encode(raw) : (raw as Uint8Array);
  if (decoder.decode(bytes).startsWith(lockPrefix)) return null;
  return decoder.decode(unwrapEnvelope(bytes).payload);
}

/** The version of what a raw `GET` returned: undefined for a missing key or a lock. */
export function versionOfStored(raw: unknown, lockPrefix: string): number | undefined {
  const payload = payloadOfStored(raw, lockPrefix);
  return payload === null ? undefined : versionOf(payload);
}
