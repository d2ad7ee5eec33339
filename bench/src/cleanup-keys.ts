/** Unlinks keys in chunks (a cold-miss run writes tens of thousands) through `unlink`. */
export async function cleanupKeys(
  unlink: (keys: string[]) => Promise<unknown>,
  keys: readonly string[],
): Promise<void> {
  const chunk = 1_000;
  for (let start = 0; start < keys.length; start += chunk) {
    await unlink(keys.slice(start, start + chunk));
  }
}

/** Unlinks every key under `prefix` (the peers name their keys their own way, all under it). */
export async function cleanupPrefix(
  scan: (pattern: string) => AsyncIterable<string[]>,
  unlink: (keys: string[]) => Promise<unknown>,
  prefix: string,
): Promise<number> {
  let count = 0;
  for await (const keys of scan(`${prefix.replace(/[*?[\]\\]/g, '\\$&')}*`)) {
    if (keys.length === 0) continue;
    await unlink(keys);
    count += keys.length;
  }
  return count;
}

/** What `unlinkRun` needs of a node-redis client. */
export interface ScanUnlink {
  scanIterator(options: { MATCH: string; COUNT: number }): AsyncIterable<string[]>;
  unlink(keys: string[]): Promise<unknown>;
}

/** Unlinks every key of the run (`cleanupPrefix` through a node-redis client, SCAN by 1,000). */
export const unlinkRun = (client: ScanUnlink, prefix: string): Promise<number> =>
  cleanupPrefix(
    (MATCH) => client.scanIterator({ MATCH, COUNT: 1000 }),
    (keys) => client.unlink(keys),
    prefix,
  );
