import type { Cache } from '@redcache/core';
import { InvalidTTLError } from '@redcache/core';
import { describe, expect, it } from 'vitest';
import { PriceService } from './price-service.js';

/**
 * A user's unit tests, written once against `Cache<K, V>`. `price-service.test.ts` runs them
 * unchanged against `createFakeCache`, a real view over the memory driver, and a real view
 * over Redis.
 */
export function priceServiceBehaviour(
  name: string,
  open: () => Promise<{ cache: Cache<string, number>; close(): Promise<void> }>,
) {
  describe(`PriceService on ${name}`, () => {
    const withService = async (
      test: (service: PriceService, cache: Cache<string, number>) => Promise<void>,
    ) => {
      const { cache, close } = await open();
      try {
        await test(new PriceService(cache, async (sku) => sku.length * 100), cache);
      } finally {
        await close();
      }
    };

    it('fetches a price once, then serves it from the cache', () =>
      withService(async (service) => {
        expect(await service.price('apple')).toBe(500);
        expect(await service.price('apple')).toBe(500);
        expect(service.fetches).toEqual(['apple']);
      }));

    it('concurrent reads of one price fetch it once', () =>
      withService(async (service) => {
        const all = await Promise.all(Array.from({ length: 20 }, () => service.price('kiwi')));
        expect(new Set(all)).toEqual(new Set([400]));
        expect(service.fetches).toEqual(['kiwi']);
      }));

    it('fetches only the prices it does not have', () =>
      withService(async (service) => {
        await service.price('fig');
        expect(await service.prices(['fig', 'plum', 'pear'])).toEqual(
          new Map([
            ['fig', 300],
            ['plum', 400],
            ['pear', 400],
          ]),
        );
        expect([...service.fetches].sort()).toEqual(['fig', 'pear', 'plum']);
      }));

    it('an override wins over the fetched price; forgetting it fetches again', () =>
      withService(async (service) => {
        await service.price('lime');
        await service.override('lime', 999);
        expect(await service.price('lime')).toBe(999);
        await service.forget('lime');
        expect(await service.price('lime')).toBe(400);
        expect(service.fetches).toEqual(['lime', 'lime']);
      }));

    it('rejects a bad ttl before fetching', () =>
      withService(async (service, cache) => {
        await expect(cache.get('price:x', 0, async () => 1)).rejects.toBeInstanceOf(InvalidTTLError);
        expect(service.fetches).toEqual([]);
      }));
  });
}
