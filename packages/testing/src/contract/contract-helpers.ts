import type { Driver, RedisArgument, RedisCommand, RedisReply } from '@redcache/core';
import type { Script } from '@redcache/core/wire';

/** Replies with bulk strings as text (recursively), for comparing; errors and numbers as they are. */
export function text(reply: RedisReply | Error | undefined): unknown {
  if (reply instanceof Uint8Array) return new TextDecoder().decode(reply);
  if (Array.isArray(reply)) return reply.map((item: RedisReply) => text(item));
  return reply;
}

export function command(key: string, ...args: RedisArgument[]): RedisCommand {
  return { key, args };
}

/** Sends one command and returns its reply (an error reply as an `Error`). */
export async function sendOne(
  driver: Driver,
  key: string,
  ...args: RedisArgument[]
): Promise<RedisReply | Error> {
  const [reply] = await driver.send([command(key, ...args)]);
  return reply!;
}

/** Runs a script by source, as the engine does the first time. */
export function evalScript(
  driver: Driver,
  script: Script,
  keys: readonly string[],
  args: readonly RedisArgument[],
): Promise<RedisReply | Error> {
  return sendOne(driver, keys[0] ?? '', 'EVAL', script.source, String(keys.length), ...keys, ...args);
}

/** Subscribes and collects what the driver reports. */
export function listen(driver: Driver): Array<string | null> {
  const seen: Array<string | null> = [];
  driver.onInvalidate((key) => seen.push(key));
  return seen;
}

/**
 * One round trip on `driver`, reading a key nobody writes. Pushes the server sent this
 * connection before it ran the read have been delivered once it resolves: an in-order check
 * that needs no sleeping.
 */
export async function roundTrip(driver: Driver, probeKey: string): Promise<void> {
  const [reply] = await driver.send([command(probeKey, 'GET', probeKey)]);
  if (reply instanceof Error) throw reply;
}

/** Waits (real time) until `check` holds, or fails after `timeoutMs`. */
export async function waitFor(check: () => boolean, what: string, timeoutMs = 3_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`driver contract: ${what}: not seen within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export const LOCK = '__redcache:lock:0190a0a0-0000-7000-8000-000000000001:1';
export const OTHER_LOCK = '__redcache:lock:0190a0a0-0000-7000-8000-000000000002:7';
export const LOCK_PREFIX = '__redcache:lock:';
