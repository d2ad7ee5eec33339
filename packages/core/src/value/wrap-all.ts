import { wrapEnvelope } from '../wire/envelope.js';

/** Wraps each payload in the value envelope with the same compute time. */
export function wrapAll(
  payloads: ReadonlyMap<string, string | Uint8Array>,
  deltaNs: number,
): Map<string, Uint8Array> {
  return new Map([...payloads].map(([key, payload]) => [key, wrapEnvelope(payload, deltaNs)]));
}
