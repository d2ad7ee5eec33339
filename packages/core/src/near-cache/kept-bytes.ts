/**
 * The stored bytes an entry keeps: none without `keepBytes`; a copy when they are under half
 * their buffer (`new Uint8Array`: a Buffer's `slice` would be another view of it).
 */
export function kept(raw: Uint8Array, keepBytes: boolean): Uint8Array | undefined {
  if (!keepBytes) return undefined;
  return raw.byteLength < raw.buffer.byteLength / 2 ? new Uint8Array(raw) : raw;
}

/**
 * The UTF-8 length of a key (what Redis stores). Node's own count: a scan in JS cost twice as
 * much on a key built by concatenation (a view's prefix and its key), which V8 keeps as a rope.
 */
export function utf8Length(key: string): number {
  return Buffer.byteLength(key, 'utf8');
}
