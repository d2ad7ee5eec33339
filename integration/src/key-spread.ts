import type { RedisCommand } from '@redcache/core';

/**
 * Every key this test process sent through a test Conn. On the cluster target, a setup file
 * (key-spread-setup.ts) hands them to the global setup, which checks that the suites' keys
 * reached every master.
 */
export const keysSent = new Set<string>();

export function noteKeys(commands: readonly RedisCommand[]): void {
  for (const command of commands) keysSent.add(command.key);
}
