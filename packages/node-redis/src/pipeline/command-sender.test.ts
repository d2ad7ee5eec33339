import { getRedis, type RedisHandle } from '@redcache/redis-harness';
import type { RedisClientType } from '@redis/client';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ClientPort } from '../client/client-port.js';
import { testPrefix, trackingClient } from '../test-support/redis.js';
import { COMMAND_OPTIONS } from './command-options.js';
import { commandSender } from './command-sender.js';

const prefix = testPrefix('command-sender');

/** The object on `of`'s prototype chain that holds `property` itself (where a spy sees every caller). */
function ownerOf(of: object, property: string): RedisClientType {
  let owner: object | null = of;
  while (owner !== null && !Object.hasOwn(owner, property))
    owner = Object.getPrototypeOf(owner) as object | null;
  return owner as RedisClientType;
}

describe('commandSender', () => {
  let redis: RedisHandle;
  let client: RedisClientType;

  beforeAll(async () => {
    redis = await getRedis();
    client = await trackingClient(redis.url);
    await client.set(`${prefix}k`, 'v', { expiration: { type: 'PX', value: 60_000 } });
  });
  afterAll(async () => {
    await client?.close();
    await redis?.stop();
  });

  it("sends on a view that holds the driver's options merged once: each command passes none, and they still apply", async () => {
    const send = commandSender(client as unknown as ClientPort);
    const spy = vi.spyOn(ownerOf(client, 'sendCommand'), 'sendCommand');
    try {
      const reply = await send(['GET', `${prefix}k`]);
      // typeMapping applied: a blob string as a Buffer (RESP3's default would be a string).
      expect(Buffer.isBuffer(reply)).toBe(true);
      expect(String(reply)).toBe('v');
      expect(spy).toHaveBeenCalledTimes(1);
      expect(spy.mock.calls[0]![1]).toBeUndefined();
      const view = spy.mock.contexts[0] as unknown as { _commandOptions: Record<string, unknown> };
      expect(view).not.toBe(client);
      expect(view._commandOptions).toMatchObject({ ...COMMAND_OPTIONS });
    } finally {
      spy.mockRestore();
    }
  });

  it('is made once per client', () => {
    const port = client as unknown as ClientPort;
    expect(commandSender(port)).toBe(commandSender(port));
  });

  it('passes the options on each call to a client without withCommandOptions', async () => {
    const sendCommand = vi.fn(async () => 'OK');
    const port = { sendCommand } as unknown as ClientPort;
    expect(await commandSender(port)(['PING'])).toBe('OK');
    expect(sendCommand).toHaveBeenCalledWith(['PING'], COMMAND_OPTIONS);
  });
});
