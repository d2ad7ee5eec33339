import { expect, it } from 'vitest';
import { openDriver, useServer } from '../test-support/own-server.js';

const server = useServer();

const open = () => openDriver(server.url);

const ROUNDS = 300;

it(`the invalidation a write causes is delivered before its reply resolves, ${ROUNDS} times in a row (the reply and the invalidation come on two sockets: without the fence the reply often wins)`, async () => {
  const driver = await open();
  try {
    const seen: Array<string | null> = [];
    driver.onInvalidate((key) => seen.push(key));
    const late: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const key = `fence:own:${round}`;
      await driver.send([{ key, args: ['GET', key] }]);
      seen.length = 0;
      await driver.send([{ key, args: ['SET', key, 'v', 'PX', '60000'] }]);
      if (!seen.includes(key)) late.push(round);
    }
    expect(late).toEqual([]);
  } finally {
    await driver.close();
  }
});

it(`after a round trip begun once another client's write was answered, that write's invalidation has arrived, ${ROUNDS} times in a row`, async () => {
  const [driver, other] = await Promise.all([open(), open()]);
  try {
    const seen: Array<string | null> = [];
    driver.onInvalidate((key) => seen.push(key));
    const late: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const key = `fence:other:${round}`;
      await driver.send([{ key, args: ['GET', key] }]);
      seen.length = 0;
      await other.send([{ key, args: ['SET', key, 'v', 'PX', '60000'] }]);
      await driver.send([{ key: 'fence:probe', args: ['GET', 'fence:probe'] }]);
      if (!seen.includes(key)) late.push(round);
    }
    expect(late).toEqual([]);
  } finally {
    await Promise.all([driver.close(), other.close()]);
  }
});
