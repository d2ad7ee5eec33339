/** A hold on one key's loaders: `released` resolves once `release` is called. */
export interface KeyRelease {
  readonly released: Promise<void>;
  readonly release: () => void;
}

/**
 * The holds of a worker's loaders, one per key, made on first use (by the loader that waits
 * or by the request that releases it, whichever comes first).
 */
export function keyReleases(): (key: string) => KeyRelease {
  const releases = new Map<string, KeyRelease>();
  return (key) => {
    let entry = releases.get(key);
    if (entry === undefined) {
      let release!: () => void;
      const released = new Promise<void>((resolve) => {
        release = resolve;
      });
      entry = { released, release };
      releases.set(key, entry);
    }
    return entry;
  };
}
