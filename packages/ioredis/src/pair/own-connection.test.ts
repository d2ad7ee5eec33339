import { Redis } from 'ioredis';
import { expect, it } from 'vitest';
import { driverFor } from '../create-ioredis-driver.js';
import { useServer } from '../test-support/own-server.js';

const server = useServer();

/** A script that runs about `ms` on the server before it answers. */
const SLOW = `local start = redis.call('TIME')
local t0 = start[1] * 1000000 + start[2]
repeat
  local now = redis.call('TIME')
until now[1] * 1000000 + now[2] - t0 >= tonumber(ARGV[1]) * 1000
return 1`;

it("the pair's connections drop your client's commandTimeout (it was inherited by duplicate(): a slow reply, and so a fence or a setup step, failed as 'Command timed out')", async () => {
  const driver = driverFor(new Redis(server.url, { lazyConnect: true, commandTimeout: 50 }), undefined, {
    ownsClient: true,
  });
  try {
    await driver.whenEstablished();
    expect(driver.connections.data.options.commandTimeout).toBeUndefined();
    expect(driver.connections.subscriber.options.commandTimeout).toBeUndefined();
    const [reply] = await driver.send([{ key: 'slow', args: ['EVAL', SLOW, '0', '200'] }]);
    expect(reply).toBe(1);
  } finally {
    await driver.close();
  }
});
