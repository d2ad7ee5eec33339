/**
 * The stored bytes an entry keeps: none without `keepBytes`; a copy when they are under half
 * their buffer (`new Uint8Array`: a Buffer's `slice` would be another view of it).
 */
export function kept(raw: Uint8Array, keepBytes: boolean): Uint8Array | undefined {
  if (!keepBytes) return undefined;
  return raw.byteLength < raw.buffer.byteLength / 2 ? new Uint8Array(raw) : raw;
}

/** The UTF-8 length of a key (what Redis stores): its length when it is ASCII, as most keys are. */
export function utf8Length(key: string): number {
  for (let i = 0; i < key.length; i++) {
    if (key.charCodeAt(i) > 0x7f) return Buffer.byteLength(key, 'utf8');
  }
  return key.length;
}
