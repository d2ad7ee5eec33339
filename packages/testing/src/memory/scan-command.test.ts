import { describe, expect, it } from 'vitest';
import { globMatch } from './glob-match.js';
import { createMemoryRedis, type MemoryRedis } from './memory-redis.js';

const text = (reply: unknown): unknown =>
  reply instanceof Uint8Array
    ? new TextDecoder().decode(reply)
    : Array.isArray(reply)
      ? reply.map(text)
      : reply instanceof Error
        ? reply.message
        : reply;

async function scan(server: MemoryRedis, ...args: string[]): Promise<unknown> {
  const [reply] = await server.connect().send([{ key: '', args: ['SCAN', ...args] }]);
  return text(reply);
}

/** Every key `SCAN MATCH pattern COUNT count` visits, stepping to the end, with `between` run after each step. */
async function scanAll(
  server: MemoryRedis,
  pattern: string,
  count: number,
  between = () => {},
): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = (await scan(server, cursor, 'MATCH', pattern, 'COUNT', String(count))) as [
      string,
      string[],
    ];
    keys.push(...batch);
    cursor = next;
    between();
  } while (cursor !== '0');
  return keys;
}

describe('memory Redis: SCAN and UNLINK', () => {
  it('visits every key once, COUNT keys a step, and only those that MATCH', async () => {
    const server = createMemoryRedis();
    for (let i = 0; i < 25; i++) server.write(`a:${i}`, 'x');
    for (let i = 0; i < 5; i++) server.write(`b:${i}`, 'x');
    expect(await scan(server, '0', 'COUNT', '10')).toEqual([
      '10',
      Array.from({ length: 10 }, (_, i) => `a:${i}`),
    ]);
    const found = await scanAll(server, 'a:*', 7);
    expect(found.sort()).toEqual(Array.from({ length: 25 }, (_, i) => `a:${i}`).sort());
    expect(await scan(server, '0', 'MATCH', 'c:*')).toEqual(['10', []]);
  });

  it('still visits every key stored throughout when keys are deleted between steps', async () => {
    const server = createMemoryRedis();
    for (let i = 0; i < 30; i++) server.write(`k:${i}`, 'x');
    const driver = server.connect();
    let step = 0;
    const found = await scanAll(server, 'k:*', 5, () => {
      // Delete keys already visited, and one ahead of the cursor, between steps.
      const doomed = [`k:${step * 5}`, `k:${step * 5 + 1}`, ...(step === 0 ? ['k:29'] : [])];
      void driver.send([{ key: doomed[0]!, args: ['UNLINK', ...doomed] }]);
      step++;
    });
    const expected = Array.from({ length: 29 }, (_, i) => `k:${i}`);
    for (const key of expected) expect(found).toContain(key);
  });

  it('UNLINK removes keys, counts those that were there, and invalidates readers', async () => {
    const server = createMemoryRedis();
    server.write('a', '1');
    server.write('b', '2');
    const reader = server.connect();
    const seen: Array<string | null> = [];
    reader.onInvalidate((key) => seen.push(key));
    await reader.send([{ key: 'a', args: ['GET', 'a'] }]);
    const [removed] = await server.connect().send([{ key: 'a', args: ['UNLINK', 'a', 'b', 'missing'] }]);
    expect(removed).toBe(2);
    expect(server.keys()).toEqual([]);
    await reader.send([{ key: 'p', args: ['GET', 'p'] }]);
    expect(seen).toEqual(['a']);
  });

  it('refuses a bad cursor, COUNT or option as Redis does', async () => {
    const server = createMemoryRedis();
    expect(await scan(server, 'x')).toBe('ERR value is not an integer or out of range');
    expect(await scan(server, '0', 'COUNT', '0')).toBe('ERR syntax error');
    expect(await scan(server, '0', 'TYPE')).toBe("ERR wrong number of arguments for 'scan' command");
    expect(await scan(server, '0', 'NOPE', 'x')).toBe('ERR syntax error');
  });
});

describe('globMatch (SCAN MATCH)', () => {
  it.each([
    ['users:*', 'users:7', true],
    ['users:*', 'users2:7', false],
    ['a\\*b:*', 'a*b:1', true],
    ['a\\*b:*', 'axb:1', false],
    ['h?llo', 'hello', true],
    ['h[ae]llo', 'hallo', true],
    ['h[^e]llo', 'hello', false],
    ['h[a-c]llo', 'hbllo', true],
    ['x\\[1\\]*', 'x[1]y', true],
    ['*', '', true],
    ['😀*', '😀:1', true],
  ])('%s against %j is %s', (pattern, candidate, expected) => {
    expect(globMatch(pattern, candidate)).toBe(expected);
  });
});
