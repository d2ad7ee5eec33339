import type { CallOptions } from '../cache.js';
import type { Lifecycle } from './lifecycle.js';

/** Before any I/O: the caller has not given up (its signal's reason) and the connection is open (`ClosedError`). */
export function assertCallable(
  lifecycle: Lifecycle,
  op: string,
  key: unknown,
  opts: CallOptions | undefined,
): void {
  opts?.signal?.throwIfAborted();
  lifecycle.assertOpen(op, key);
}
