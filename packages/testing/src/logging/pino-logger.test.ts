import { Writable } from 'node:stream';
import { Conn, newStringCache, pinoLogger, StringCodec } from '@redcache/core';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryRedis } from '../memory/memory-redis.js';

/** A pino logger at debug level whose records are parsed into `records` as they are written. */
function capturedPino() {
  const records: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line !== '') records.push(JSON.parse(line));
      done();
    },
  });
  // A plain stream as destination: pino writes each record to it before the call returns.
  return { records, logger: pino({ level: 'debug', base: null, timestamp: false }, sink) };
}

const conns: Conn[] = [];
afterEach(async () => {
  await Promise.all(conns.splice(0).map((conn) => conn.close()));
});

describe('pinoLogger', () => {
  it('writes each level as a pino record: the attributes as fields, the text as msg', () => {
    const { records, logger } = capturedPino();
    const log = pinoLogger(logger);
    log.debug('d', { op: 'get', key: 'k' });
    log.info('i');
    log.warn('w', { server: '127.0.0.1:6379' });
    log.error('e', { error: 'boom' });
    expect(records).toEqual([
      { level: 20, op: 'get', key: 'k', msg: 'd' },
      { level: 30, msg: 'i' },
      { level: 40, server: '127.0.0.1:6379', msg: 'w' },
      { level: 50, error: 'boom', msg: 'e' },
    ]);
  });

  it('carries an engine record end to end: a waiter’s “wait ended” with its op and keys', async () => {
    const { records, logger } = capturedPino();
    const redis = new MemoryRedis();
    const a = Conn.open(redis.connect());
    const b = Conn.open(redis.connect(), { logger: pinoLogger(logger) });
    conns.push(a, b);
    let release!: (value: string) => void;
    const held = new Promise<string>((resolve) => {
      release = resolve;
    });
    let started!: () => void;
    const loading = new Promise<void>((resolve) => {
      started = resolve;
    });
    const first = newStringCache(a, StringCodec).get('user:1', 60_000, () => {
      started();
      return held;
    });
    await loading;
    const waiter = newStringCache(b, StringCodec).get('user:1', 60_000, async () => 'not this');
    release('ada');
    expect(await Promise.all([first, waiter])).toEqual(['ada', 'ada']);
    const ended = records.find((record) => record.msg === 'redcache: wait ended');
    expect(ended).toMatchObject({ level: 20, op: 'get', keys: ['user:1'] });
  });
});
