/** What a fake loader call was for. */
export type LoadReason = 'get' | 'getMulti' | 'set' | 'setMulti';

/**
 * One entry of a fake cache's call log: a read and whether it hit, a loader call and its
 * keys, a write and its ttl, a delete or touch and whether the key was there. Multi-key
 * calls log one entry per distinct key.
 */
export type FakeCall<K> =
  | { readonly op: 'get' | 'getMulti' | 'peek'; readonly key: K; readonly hit: boolean }
  | { readonly op: 'load'; readonly by: LoadReason; readonly keys: readonly K[] }
  | {
      readonly op: 'set' | 'setMulti' | 'forceSet' | 'forceSetMulti';
      readonly key: K;
      readonly ttlMs: number;
    }
  | { readonly op: 'del' | 'delMulti' | 'touch' | 'touchMulti'; readonly key: K; readonly found: boolean };
