import type { Cache } from '@redcache/core';

/** What a user of redcache writes: a service that reads prices through a Cache. */
export class PriceService {
  readonly #cache: Cache<string, number>;
  readonly #fetch: (sku: string) => Promise<number>;
  readonly fetches: string[] = [];

  constructor(cache: Cache<string, number>, fetch: (sku: string) => Promise<number>) {
    this.#cache = cache;
    this.#fetch = fetch;
  }

  price(sku: string): Promise<number> {
    return this.#cache.get(`price:${sku}`, 60_000, async () => {
      this.fetches.push(sku);
      return this.#fetch(sku);
    });
  }

  async prices(skus: string[]): Promise<Map<string, number>> {
    const byKey = await this.#cache.getMulti(
      skus.map((sku) => `price:${sku}`),
      60_000,
      async (keys) => {
        const values = await Promise.all(keys.map((key) => this.#fetch(key.slice('price:'.length))));
        this.fetches.push(...keys.map((key) => key.slice('price:'.length)));
        return new Map(keys.map((key, i) => [key, values[i]!]));
      },
    );
    return new Map(skus.map((sku) => [sku, byKey.get(`price:${sku}`)!]));
  }

  override(sku: string, price: number): Promise<void> {
    return this.#cache.forceSet(`price:${sku}`, 60_000, price);
  }

  forget(sku: string): Promise<void> {
    return this.#cache.del(`price:${sku}`);
  }
}
