import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { freePort } from '@redcache/redis-harness';
import { beforeAll, describe, expect, it } from 'vitest';

const DEMO = fileURLToPath(new URL('..', import.meta.url));

/** PATH without every directory that holds a `redis-server`. */
function pathWithoutRedisServer(): string {
  return (process.env.PATH ?? '')
    .split(delimiter)
    .filter((directory) => directory !== '' && !existsSync(join(directory, 'redis-server')))
    .join(delimiter);
}

describe('pnpm demo with no Redis anywhere', () => {
  let stdout: string;
  let nothingHere: number;
  beforeAll(async () => {
    // No REDIS_URL, no redis-server on PATH, and the port the demo looks at instead of 6379 is
    // one nothing listens on (a machine running tests may well have a Redis on 6379).
    nothingHere = await freePort();
    const { REDIS_URL: _unset, ...inherited } = process.env;
    const env = {
      ...inherited,
      PATH: pathWithoutRedisServer(),
      REDCACHE_DEMO_LOCAL_PORT: String(nothingHere),
    };
    // What `pnpm demo` runs once the packages are built (node comes from here, not from PATH).
    const args = ['--import', 'tsx', 'src/main.ts', '--processes', '3', '--keys', '2', '--callers', '20'];
    ({ stdout } = await promisify(execFile)(process.execPath, args, { cwd: DEMO, env, timeout: 60_000 }));
  }, 90_000);

  it('runs the stampede on the in-memory Redis, with several Conns in one process, and says so and why', () => {
    expect(stdout).toContain(
      'No Redis to run against, so this run uses the in-memory Redis from @redcache/testing.',
    );
    expect(stdout).toContain(
      `Why: REDIS_URL is unset, nothing answers on 127.0.0.1:${nothingHere}, and there is no redis-server on PATH`,
    );
    expect(stdout).toContain('The same stampede runs with 3 Conns in this one process');
    expect(stdout).toContain('Conns 1-3 in pid');
    expect(stdout).toContain('2 keys, 120 callers, 2 loader calls: no stampede');
  });

  it("no longer prints 'SET NX sent 0' and 'locks won 0' (the engine locks inside its read-or-lock script and logs no lock attempt)", () => {
    expect(stdout).not.toContain('SET NX sent');
    expect(stdout).not.toContain('locks won');
  });
});
