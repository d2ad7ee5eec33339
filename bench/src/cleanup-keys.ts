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
