import type { ChildProcess } from 'node:child_process';
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keySlot } from './slot.js';

// Compares keySlot with a real Redis' CLUSTER KEYSLOT. CLUSTER KEYSLOT only needs a server started
// with cluster support; no slots have to be assigned, so one throw-away node is enough.

const run = promisify(execFile);

const KEYS: readonly string[] = [
  'key',
  '123',
  '',
  'user:1000',
  'session:abc123',
  '123456789',
  '{{nested}}',
  '{nested',
  'key{}value',
  '{tag1}{tag2}',
  'tag1',
  'foo{bar}',
  'foo{bar}{zap}',
  'foo{}{bar}',
  'foo{{bar}}zap',
  'foo{bar',
  'foo}bar{',
  '{user1000}.following',
  '{user1000}.followers',
  '__redcache:lock:0190a0a0-0000-7000-8000-000000000000:1',
  '__redcache:refresh:{user:123}',
  'p:{user:{tenant}:1}',
  'é',
  '{é}x',
  '日本語のキー',
  'emoji:😀',
  '{😀}suffix',
  'prefix{tag:ü}suffix',
  'a key with spaces',
  'tab\tand\nnewline',
  'x'.repeat(1_000),
];

let server: ChildProcess | undefined;
let port = 0;
let configFile = '';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => {
        if (address !== null && typeof address === 'object') resolve(address.port);
        else reject(new Error('could not get a free port'));
      });
    });
  });
}

async function clusterKeySlot(key: string): Promise<number> {
  const { stdout } = await run('redis-cli', [
    '-h',
    '127.0.0.1',
    '-p',
    String(port),
    'CLUSTER',
    'KEYSLOT',
    key,
  ]);
  const match = /(-?\d+)/.exec(stdout);
  if (match === null)
    throw new Error(`unexpected CLUSTER KEYSLOT reply for ${JSON.stringify(key)}: ${stdout}`);
  return Number(match[1]);
}

beforeAll(async () => {
  port = await freePort();
  configFile = join(tmpdir(), `redcache-slot-${process.pid}-${randomBytes(6).toString('hex')}.conf`);
  const child = spawn(
    'redis-server',
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--cluster-enabled',
      'yes',
      '--cluster-config-file',
      configFile,
      '--save',
      '',
      '--appendonly',
      'no',
    ],
    { stdio: 'ignore' },
  );
  server = child;
  const spawnError = new Promise<never>((_, reject) => {
    child.once('error', (error) =>
      reject(
        new Error(
          `could not start redis-server (${error.message}); install Redis (e.g. apt-get install redis-server) so that redis-server and redis-cli are on PATH`,
        ),
      ),
    );
  });
  const ready = (async () => {
    for (let attempt = 0; attempt < 100; attempt++) {
      try {
        const { stdout } = await run('redis-cli', ['-h', '127.0.0.1', '-p', String(port), 'PING']);
        if (stdout.includes('PONG')) return;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`redis-server on port ${port} did not answer PING`);
  })();
  await Promise.race([ready, spawnError]);
}, 15_000);

afterAll(async () => {
  const child = server;
  if (child !== undefined && child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
  if (configFile !== '') await rm(configFile, { force: true });
});

describe('keySlot agrees with CLUSTER KEYSLOT of a real Redis', () => {
  it.each(KEYS.map((key) => [JSON.stringify(key.length > 40 ? `${key.slice(0, 40)}…` : key), key]))(
    '%s',
    async (_label, key) => {
      expect(keySlot(key)).toBe(await clusterKeySlot(key));
    },
  );

  it('agrees for 200 generated keys, with and without tags', async () => {
    const keys = Array.from({ length: 200 }, (_, i) =>
      i % 3 === 0 ? `{tenant:${i % 7}}:item:${i}` : i % 3 === 1 ? `item:${i}:ü` : `x{${i}}{y}`,
    );
    const slots = await Promise.all(keys.map(clusterKeySlot));
    expect(keys.map(keySlot)).toEqual(slots);
  }, 30_000);
});
