import { describe, expect, it } from 'vitest';
import { AttributeSets } from './attribute-sets.js';

describe('AttributeSets', () => {
  it('builds each set once and hands the same frozen object back', () => {
    const sets = new AttributeSets('op', 'outcome', 'redcache.cache.name');
    const first = sets.of('get', 'nearHit', 'users');
    expect(first).toEqual({ op: 'get', outcome: 'nearHit', 'redcache.cache.name': 'users' });
    expect(sets.of('get', 'nearHit', 'users')).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    expect(sets.of('get', 'nearHit', 'orders')).not.toBe(first);
  });

  it('leaves out the attributes whose value is undefined', () => {
    const byView = new AttributeSets('redcache.cache.name');
    expect(byView.of()).toEqual({});
    expect(byView.of('users')).toEqual({ 'redcache.cache.name': 'users' });
    const failSafe = new AttributeSets('cause', 'redcache.cache.name');
    expect(failSafe.of('loader')).toEqual({ cause: 'loader' });
    expect(failSafe.of('loader', 'users')).toEqual({ cause: 'loader', 'redcache.cache.name': 'users' });
    expect(failSafe.of(undefined, 'users')).toEqual({ 'redcache.cache.name': 'users' });
  });
});
