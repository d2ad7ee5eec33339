/**
 * `promise`, or a rejection naming `what` if `timeoutMs` passes first. A liveness bound — "it
 * settles, and not after what the property allows" — never a speed assertion: pick `timeoutMs`
 * from the property (for example "before lockTTL could have expired the lock"), not from how
 * fast it ran on one machine.
 */
export function settleWithin<T>(what: string, timeoutMs: number, promise: Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: not settled within ${timeoutMs} ms`)), timeoutMs);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}
