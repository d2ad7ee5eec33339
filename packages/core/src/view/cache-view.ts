import type { Cache, CallOptions, Loader, MultiLoader, PeekResult } from '../cache.js';
import type { Codec } from '../codec.js';
import { joinOrLoad } from '../flight/join-or-load.js';
import type { FlightOutcome } from '../flight/single-flight.js';
import { requireFunction } from '../input/require-function.js';
import { toTtlMs } from '../input/ttl.js';
import { untilAborted } from '../lifecycle/until-aborted.js';
import { storeNear } from '../near-cache/store-near.js';
import type { LoadRequest } from '../read/load-request.js';
import { readKeys } from '../read/read-keys.js';
import { type Hit, refreshStale } from '../refresh/refresh-stale.js';
import { decodeValue } from '../value/decode-value.js';
import { CacheWrites } from './cache-writes.js';

/** A typed view over a connection's engine: keys through `keyCodec`, values through `codec`. */
export class CacheView<K, V> extends CacheWrites<K, V> implements Cache<K, V> {
  async get(key: K, ttlMs: number, loader: Loader<K, V>, opts?: CallOptions): Promise<V> {
    const ttl = toTtlMs(ttlMs, 'get', key);
    const redisKey = this.encodeKey(key, 'get');
    const engine = this.engine;
    const now = performance.now();
    const entry = engine.nearCache?.get(redisKey, this.codec, now);
    if (entry !== undefined) {
      engine.metrics.cacheHits(1);
      if (engine.refresh !== undefined) {
        const hit = {
          key: redisKey,
          remainingMs: entry.expiresAt - now,
          deltaNs: entry.deltaNs,
          raw: entry.raw,
        };
        refreshStale(
          engine,
          [hit],
          ttl,
          this.codec as Codec<unknown>,
          new Map([[redisKey, key]]),
          (_keys, signal) => this.callLoader(key, redisKey, loader, signal),
        );
      }
      return entry.value as V;
    }
    requireFunction(loader, 'get', key);
    opts?.signal?.throwIfAborted();
    engine.assertOpen('get', key);
    const request = this.#request('get', ttl, new Map([[redisKey, key]]), (_keys, signal) =>
      this.callLoader(key, redisKey, loader, signal),
    );
    const [joined] = joinOrLoad(engine, request, [redisKey], opts?.signal);
    return this.#take(await joined!, 'get', key);
  }

  async getMulti(
    keys: readonly K[],
    ttlMs: number,
    loader: MultiLoader<K, V>,
    opts?: CallOptions,
  ): Promise<Map<K, V>> {
    const ttl = toTtlMs(ttlMs, 'getMulti', keys);
    const result = new Map<K, V>();
    if (keys.length === 0) return result;
    requireFunction(loader, 'getMulti', keys);
    const engine = this.engine;
    const redisKeys = keys.map((key) => this.encodeKey(key, 'getMulti'));
    const originals = new Map<string, K>();
    redisKeys.forEach((redisKey, i) => {
      if (!originals.has(redisKey)) originals.set(redisKey, keys[i]!);
    });
    const found = new Map<string, V>();
    const missing: string[] = [];
    const hits: Hit[] = [];
    const now = performance.now();
    for (const redisKey of originals.keys()) {
      const entry = engine.nearCache?.get(redisKey, this.codec, now);
      if (entry === undefined) {
        missing.push(redisKey);
      } else {
        found.set(redisKey, entry.value as V);
        if (engine.refresh !== undefined) {
          hits.push({
            key: redisKey,
            remainingMs: entry.expiresAt - now,
            deltaNs: entry.deltaNs,
            raw: entry.raw,
          });
        }
      }
    }
    const load: LoadRequest['load'] = (wanted, signal) =>
      this.callMultiLoader('getMulti', wanted, originals, loader, signal);
    if (found.size > 0) engine.metrics.cacheHits(found.size);
    if (hits.length > 0) refreshStale(engine, hits, ttl, this.codec as Codec<unknown>, originals, load);
    if (missing.length > 0) {
      opts?.signal?.throwIfAborted();
      engine.assertOpen('getMulti', keys);
      const request = this.#request('getMulti', ttl, originals, load);
      const outcomes = await Promise.all(joinOrLoad(engine, request, missing, opts?.signal));
      outcomes.forEach((outcome, i) => {
        const redisKey = missing[i]!;
        found.set(redisKey, this.#take(outcome, 'getMulti', originals.get(redisKey)));
      });
    }
    keys.forEach((key, i) => {
      result.set(key, found.get(redisKeys[i]!)!);
    });
    return result;
  }

  async peek(key: K, ttlMs: number, opts?: CallOptions): Promise<PeekResult<V>> {
    const ttl = toTtlMs(ttlMs, 'peek', key);
    const redisKey = this.encodeKey(key, 'peek');
    const engine = this.engine;
    const entry = engine.nearCache?.get(redisKey, this.codec, performance.now());
    if (entry !== undefined) return { found: true, value: entry.value as V };
    opts?.signal?.throwIfAborted();
    engine.assertOpen('peek', key);
    const states = await untilAborted(readKeys(engine, 'peek', [redisKey]), opts?.signal);
    const state = states.get(redisKey);
    if (state?.kind !== 'value') return { found: false };
    const value = decodeValue(this.codec, state.payload, 'peek', key);
    if (state.storable)
      storeNear(
        engine,
        redisKey,
        { value, codec: this.codec, raw: state.raw, deltaNs: state.deltaNs },
        ttl,
        state.pttlMs,
      );
    return { found: true, value };
  }

  #request(
    op: string,
    ttlMs: number,
    originals: ReadonlyMap<string, K>,
    load: LoadRequest['load'],
  ): LoadRequest {
    return { op, ttlMs, codec: this.codec as Codec<unknown>, originals, load };
  }

  #take(outcome: FlightOutcome, op: string, key: unknown): V {
    if (outcome.hit) this.engine.metrics.cacheHits(1);
    else this.engine.metrics.cacheMisses(1);
    if (outcome.codec === this.codec) return outcome.value as V;
    return decodeValue(this.codec, outcome.payload, op, key);
  }
}
