/**
 * Redis Cluster hash slots: CRC16/XMODEM of the key, or of its hash tag, modulo 16384. The
 * hash tag is what lies between the first `{` and the first `}` after it, when not empty.
 */

const TABLE = (() => {
  const table = new Uint16Array(256);
  for (let i = 0; i < 256; i++) {
    let crc = i << 8;
    for (let bit = 0; bit < 8; bit++) crc = crc & 0x8000 ? (crc << 1) ^ 0x1021 : crc << 1;
    table[i] = crc & 0xffff;
  }
  return table;
})();

const encoder = new TextEncoder();

export function crc16(bytes: Uint8Array): number {
  let crc = 0;
  for (const byte of bytes) crc = ((crc << 8) & 0xffff) ^ TABLE[((crc >> 8) ^ byte) & 0xff]!;
  return crc;
}

/**
 * The hash slot of a key, as `CLUSTER KEYSLOT` computes it: CRC16 of the key's UTF-8 bytes, or
 * of its hash tag (between the first `{` and the next `}`, when not empty), modulo 16384.
 *
 * @param key - the Redis key (the full key, prefix included).
 * @returns the slot, an integer from 0 to 16383.
 * @throws nothing: every string has a slot.
 */
export function keySlot(key: string): number {
  if (!isAscii(key)) return bytesSlot(encoder.encode(key));
  // An ASCII key's UTF-8 bytes are its char codes: no encoding, no allocation.
  const open = key.indexOf('{');
  if (open >= 0) {
    const close = key.indexOf('}', open + 1);
    if (close > open + 1) return crc16Chars(key, open + 1, close) & 0x3fff;
  }
  return crc16Chars(key, 0, key.length) & 0x3fff;
}

function bytesSlot(bytes: Uint8Array): number {
  const open = bytes.indexOf(0x7b);
  if (open >= 0) {
    const close = bytes.indexOf(0x7d, open + 1);
    if (close > open + 1) return crc16(bytes.subarray(open + 1, close)) & 0x3fff;
  }
  return crc16(bytes) & 0x3fff;
}

function isAscii(key: string): boolean {
  for (let i = 0; i < key.length; i++) if (key.charCodeAt(i) > 0x7f) return false;
  return true;
}

/** CRC16 of the char codes `from` to `to` of an ASCII string. */
function crc16Chars(key: string, from: number, to: number): number {
  let crc = 0;
  for (let i = from; i < to; i++)
    crc = ((crc << 8) & 0xffff) ^ TABLE[((crc >> 8) ^ key.charCodeAt(i)) & 0xff]!;
  return crc;
}
