import { afterEach, describe, expect, it } from 'vitest';
import { StringCodec, StringKeyCodec } from '../codec/ready-codecs.js';
import { Conn } from '../conn.js';
import type { Driver } from '../driver.js';
import { InvalidOptionsError } from '../errors/errors.js';
import { newBytesCache, newCache, newStringCache } from '../new-cache.js';

// A view's options are checked where the view is made, naming the option (was: `name` went
// unchecked into metric and span attributes, and options that were no object were ignored).

const driver: Driver = {
  client: undefined,
  send: async (commands) => commands.map(() => null),
  onInvalidate: () => () => {},
  slotOf: () => 0,
  close: async () => {},
};

const conns: Conn[] = [];
afterEach(async () => {
  await Promise.all(conns.splice(0).map((conn) => conn.close()));
});

function conn(): Conn {
  const opened = Conn.open(driver, { nearCache: false });
  conns.push(opened);
  return opened;
}

const makers = {
  newCache: (options: unknown) => newCache(conn(), StringKeyCodec, StringCodec, options as never),
  newStringCache: (options: unknown) => newStringCache(conn(), StringCodec, options as never),
  newBytesCache: (options: unknown) => newBytesCache(conn(), options as never),
};

// newStringCache and newBytesCache are newCache with a ready codec: their errors say newCache.
const op = 'newCache';

describe.each(Object.entries(makers))('%s', (_maker, make) => {
  it.each([
    [42, 'name: 42 (number) must be a non-empty string'],
    ['', 'name: "" must be a non-empty string'],
    [{ cache: 'users' }, 'name: [object Object] (object) must be a non-empty string'],
  ])('refuses name %j with an InvalidOptionsError naming the option', (name, message) => {
    expect(() => make({ name })).toThrow(InvalidOptionsError);
    expect(() => make({ name })).toThrow(`${op} ${message}`);
  });

  it('refuses options that are no object', () => {
    expect(() => make('users')).toThrow(InvalidOptionsError);
    expect(() => make('users')).toThrow(
      `${op} options: must be an object such as { name, prefix }, got "users"`,
    );
  });

  it('takes a name, and no options at all', () => {
    expect(() => make({ name: 'users' })).not.toThrow();
    expect(() => make(undefined)).not.toThrow();
  });
});
