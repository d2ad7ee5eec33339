import { wrapEnvelope } from '../wire/envelope.js';

/** Wraps each payload in the value envelope with the same compute time. */
export function wrapAll(
  payloads: ReadonlyMap<string, string | Uint8Array>,
  deltaNs: number,
): Map<string, Uint8Array> {
  const envelopes = new Map<string, Uint8Array>();
  for (const [key, payload] of payloads) envelopes.set(key, wrapEnvelope(payload, deltaNs));
  return envelopes;
}
