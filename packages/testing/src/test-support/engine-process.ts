import {
  Conn,
  type LogAttributes,
  type Logger,
  newStringCache,
  type Options,
  StringCodec,
} from '@redcache/core';
import { afterEach, beforeEach, vi } from 'vitest';
import type { MemoryDriver } from '../memory/memory-driver.js';
import { createMemoryRedis, type MemoryRedis } from '../memory/memory-redis.js';

/** Records what the engine logs: each record's level, message and attributes. */
export class RecordingLogger implements Logger {
  readonly records: Array<{ level: string; message: string; attributes: LogAttributes | undefined }> = [];
  debug(message: string, attributes?: LogAttributes): void {
    this.records.push({ level: 'debug', message, attributes });
  }
  info(message: string, attributes?: LogAttributes): void {
    this.records.push({ level: 'info', message, attributes });
  }
  warn(message: string, attributes?: LogAttributes): void {
    this.records.push({ level: 'warn', message, attributes });
  }
  error(message: string, attributes?: LogAttributes): void {
    this.records.push({ level: 'error', message, attributes });
  }
  /** Records at `warn` or `error`. */
  get problems(): string[] {
    return this.records.filter((r) => r.level === 'warn' || r.level === 'error').map((r) => r.message);
  }
}

/** One "process": a connection to the memory server, its logger and a string view. */
export interface EngineProcess {
  readonly conn: Conn;
  readonly driver: MemoryDriver;
  readonly log: RecordingLogger;
  readonly cache: ReturnType<typeof newStringCache<string>>;
}

export function openProcess(server: MemoryRedis, options: Options = {}): EngineProcess {
  const driver = server.connect();
  const log = new RecordingLogger();
  const conn = Conn.open(driver, { lockTTLMs: 1_000, logger: log, ...options });
  return { conn, driver, log, cache: newStringCache(conn, StringCodec) };
}

/** Lets replies and pushes flow (microtasks and zero-delay timers) without moving the fake clock. */
export const flush = (): Promise<unknown> => vi.advanceTimersByTimeAsync(0);

/** A promise with its resolve and reject in hand. */
export function deferred<T>(): {
  promise: Promise<T>;
  resolve: (value: T) => void;
  reject: (error: unknown) => void;
} {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** A promise's state now, without waiting for it (after the microtasks queued so far). */
export async function stateOf(promise: Promise<unknown>): Promise<'pending' | 'fulfilled' | 'rejected'> {
  const marker = {};
  try {
    const winner = await Promise.race([promise, Promise.resolve(marker)]);
    return winner === marker ? 'pending' : 'fulfilled';
  } catch {
    return 'rejected';
  }
}

/** The text of a stored value (envelope and all), or undefined. */
export function storedText(server: MemoryRedis, key: string): string | undefined {
  const value = server.peek(key);
  return value === undefined ? undefined : new TextDecoder().decode(value as Uint8Array);
}

/** A fresh memory server per test, on fake timers; what `start` opens is closed after each test. */
export interface FakeTimedServer {
  readonly server: MemoryRedis;
  /** Opens a process with the suite's options and these. */
  start(options?: Options): EngineProcess;
  /** Runs `close` after the test too (for connections opened by hand). */
  closeAfter(close: () => Promise<void>): void;
}

export function useFakeTimedServer(defaults: Options = {}): FakeTimedServer {
  let server: MemoryRedis | undefined;
  let closers: Array<() => Promise<void>> = [];
  beforeEach(() => {
    vi.useFakeTimers();
    server = createMemoryRedis();
    closers = [];
  });
  afterEach(async () => {
    const closing = Promise.all(closers.map((close) => close()));
    await vi.advanceTimersByTimeAsync(10_000);
    await closing;
    vi.useRealTimers();
  });
  return {
    get server() {
      if (server === undefined) throw new Error('useFakeTimedServer: no test is running');
      return server;
    },
    start(options = {}) {
      const p = openProcess(this.server, { ...defaults, ...options });
      closers.push(() => p.conn.close());
      return p;
    },
    closeAfter(close) {
      closers.push(close);
    },
  };
}
