import { afterEach, describe, expect, it } from 'vitest';
import type { Cache } from '../cache.js';
import { StringCodec } from '../codec/ready-codecs.js';
import { Conn } from '../conn.js';
import type { Driver } from '../driver.js';
import { InvalidTTLError } from '../errors/errors.js';
import { newStringCache } from '../new-cache.js';

/**
 * Habits from other libraries, through the public API: each is refused before any I/O (the
 * driver fails the test if it is sent anything) with a message that shows the right call.
 */
const untouched: Driver = {
  client: undefined,
  send: () => {
    throw new Error('a refused call sent a command');
  },
  onInvalidate: () => () => {},
  slotOf: () => 0,
  close: async () => {},
};

const conns: Conn[] = [];
function cache(): Cache<string, string> {
  const conn = Conn.open(untouched, { nearCache: false });
  conns.push(conn);
  return newStringCache(conn, StringCodec);
}
afterEach(async () => {
  await Promise.all(conns.splice(0).map((conn) => conn.close()));
});

async function refusal(call: (view: Cache<string, string>) => Promise<unknown>): Promise<Error> {
  loaderRan = false;
  const view = cache();
  const error = await call(view).then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(loaderRan).toBe(false);
  expect(error).toBeInstanceOf(Error);
  return error as Error;
}

// biome-ignore lint/suspicious/noExplicitAny: the calls below are what an untyped caller writes.
type Untyped = any;
let loaderRan = false;
const loader = async () => {
  loaderRan = true;
  return 'v';
};
const multiLoader = async (keys: string[]) => {
  loaderRan = true;
  return new Map(keys.map((key) => [key, 'v']));
};

describe("cache-manager's order: a loader where the ttl belongs", () => {
  it.each([
    ['get', (c: Untyped) => c.get('k', loader, 60_000), 'get(key, ttlMs, loader)'],
    ['getMulti', (c: Untyped) => c.getMulti(['k'], multiLoader, 60_000), 'getMulti(keys, ttlMs, loader)'],
    ['set', (c: Untyped) => c.set('k', loader, 60_000), 'set(key, ttlMs, loader)'],
    ['setMulti', (c: Untyped) => c.setMulti(['k'], multiLoader, 60_000), 'setMulti(keys, ttlMs, loader)'],
  ])('%s(key, loader, 60_000) shows the right call', async (op, call, right) => {
    const error = await refusal(call);
    expect(error).toBeInstanceOf(InvalidTTLError);
    expect(error.message).toContain(`redcache: ${op}:`);
    expect(error.message).toContain('a function was given where the ttl belongs');
    expect(error.message).toContain('the ttl comes before the loader');
    expect(error.message).toContain(`the call is ${right}`);
    expect(error.message).not.toContain('del');
    expect(error.message).not.toContain('=>');
  });

  it.each([
    ['peek', (c: Untyped) => c.peek('k', loader), 'peek(key, ttlMs)'],
    ['touch', (c: Untyped) => c.touch('k', loader), 'touch(key, ttlMs)'],
    ['forceSet', (c: Untyped) => c.forceSet('k', loader, 60_000), 'forceSet(key, ttlMs, value)'],
  ])('%s given a function for its ttl shows the right call', async (_op, call, right) => {
    const error = await refusal(call);
    expect(error).toBeInstanceOf(InvalidTTLError);
    expect(error.message).toContain(`the call is ${right}`);
    expect(error.message).not.toContain('comes before the loader');
  });
});

describe("bentocache's options object where the key belongs", () => {
  it.each([
    ['get', (c: Untyped) => c.get({ key: 'k', ttl: '1m', factory: loader }), 'get(key, ttlMs, loader)'],
    [
      'getMulti',
      (c: Untyped) => c.getMulti({ keys: ['k'], ttl: '1m', factory: multiLoader }),
      'getMulti(keys, ttlMs, loader)',
    ],
    ['set', (c: Untyped) => c.set({ key: 'k', value: 'v', ttl: '1m' }), 'set(key, ttlMs, loader)'],
    ['peek', (c: Untyped) => c.peek({ key: 'k' }), 'peek(key, ttlMs)'],
    ['touch', (c: Untyped) => c.touch({ key: 'k', ttl: '1m' }), 'touch(key, ttlMs)'],
    [
      'forceSet',
      (c: Untyped) => c.forceSet({ key: 'k', value: 'v', ttl: '1m' }),
      'forceSet(key, ttlMs, value)',
    ],
  ])('%s({ … }) says it takes its arguments in order, and shows the right call', async (op, call, right) => {
    const error = await refusal(call);
    expect(error).toBeInstanceOf(InvalidTTLError);
    expect(error.message).toContain(`${op} takes its arguments in order, not one options object`);
    expect(error.message).toContain(`the call is ${right}`);
    expect(error.message).toContain('got nothing (key');
  });

  it('names the fields it was given', async () => {
    const error = await refusal((c: Untyped) => c.get({ key: 'k', ttl: '1m', factory: loader }));
    expect(error.message).toContain('({ key, ttl, factory })');
  });

  it('an object key without such fields (a key codec of objects) and no ttl says only that no ttl was given', async () => {
    const error = await refusal((c: Untyped) => c.get({ id: 7 }));
    expect(error.message).toContain('no ttl was given: the call is get(key, ttlMs, loader)');
    expect(error.message).not.toContain('options object');
  });
});

describe('a value where the ttl or the loader belongs', () => {
  it('forceSet(key, value, ttl) shows the right call', async () => {
    const error = await refusal((c: Untyped) => c.forceSet('k', 'hello', 60_000));
    expect(error).toBeInstanceOf(InvalidTTLError);
    expect(error.message).toContain('got "hello" (string)');
    expect(error.message).toContain('the call is forceSet(key, ttlMs, value)');
  });

  it('set(key, ttl, value) says set takes a loader, and how to write a value', async () => {
    const error = await refusal((c: Untyped) => c.set('k', 60_000, 'hello'));
    expect(error).toBeInstanceOf(TypeError);
    expect(error.message).toContain('redcache: set: loader must be a function');
    expect(error.message).toContain('got a string');
    expect(error.message).toContain('forceSet(key, ttlMs, value)');
  });

  it('get(key, ttl) without a loader shows the right call, and no write advice', async () => {
    const error = await refusal((c: Untyped) => c.get('k', 60_000));
    expect(error).toBeInstanceOf(TypeError);
    expect(error.message).toContain('no loader was given; the call is get(key, ttlMs, loader)');
    expect(error.message).not.toContain('forceSet');
  });
});

describe('"use del" only where it fits', () => {
  it.each([
    ['get', (c: Untyped) => c.get('k', 0, loader)],
    ['getMulti', (c: Untyped) => c.getMulti(['k'], -1, multiLoader)],
    ['peek', (c: Untyped) => c.peek('k', '0s')],
  ])('a ttl of 0 or less on %s does not suggest del', async (_op, call) => {
    const error = await refusal(call);
    expect(error).toBeInstanceOf(InvalidTTLError);
    expect(error.message).not.toContain('del');
  });

  it.each([
    ['touch', (c: Untyped) => c.touch('k', 0)],
    ['touchMulti', (c: Untyped) => c.touchMulti(['k'], '-1s')],
    ['forceSet', (c: Untyped) => c.forceSet('k', '0s', 'v')],
    ['set', (c: Untyped) => c.set('k', -5, loader)],
  ])('a ttl of 0 or less on %s suggests del', async (_op, call) => {
    const error = await refusal(call);
    expect(error).toBeInstanceOf(InvalidTTLError);
    expect(error.message).toContain('to remove a key, use del');
  });
});

describe('durations through the public API', () => {
  it.each([
    ['5 minutes', 'write "5m"'],
    ['-1s', 'must be'],
    ['', 'must be'],
  ])(
    'get with a ttl of %j is an InvalidTTLError naming the value and the operation',
    async (ttl, mention) => {
      const error = await refusal((c: Untyped) => c.get('k', ttl, loader));
      expect(error).toBeInstanceOf(InvalidTTLError);
      expect((error as InvalidTTLError).ttlMs).toBe(ttl);
      expect(error.message).toContain('redcache: get:');
      expect(error.message).toContain(`got ${JSON.stringify(ttl)} (string)`);
      expect(error.message).toContain(mention);
    },
  );
});
