/**
 * Runs a listener of a memory connection (invalidation or health); what it throws becomes a
 * process warning and stops nothing else, as a driver's listener errors must not break its socket.
 */
export function callListener(listener: () => void): void {
  try {
    listener();
  } catch (error) {
    process.emitWarning(error instanceof Error ? error : new Error(String(error)), {
      code: 'REDCACHE_INVALIDATION_LISTENER',
    });
  }
}
