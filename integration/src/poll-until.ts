import { sleep } from '@redcache/fleet';

/**
 * Polls `check` every `intervalMs` until it returns true (a throw counts as false), and
 * resolves with `performance.now()` at that moment; rejects naming `what` after `timeoutMs`.
 */
export async function pollUntil(
  what: string,
  check: () => boolean | Promise<boolean>,
  { timeoutMs = 20_000, intervalMs = 50 }: { readonly timeoutMs?: number; readonly intervalMs?: number } = {},
): Promise<number> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const ok = await Promise.resolve()
      .then(check)
      .catch(() => false);
    if (ok) return performance.now();
    if (performance.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await sleep(intervalMs);
  }
}
