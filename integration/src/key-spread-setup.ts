/**
 * A setup file of the cluster project: after each test file, writes the keys its Conns sent
 * to the directory the global setup provided, for the check that the suites covered every
 * master (target-global-setup.ts).
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, inject } from 'vitest';
import { keysSent } from './key-spread.js';

afterAll(async () => {
  const directory = inject('keySpreadDir');
  if (directory === undefined || keysSent.size === 0) return;
  const file = join(directory, `${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}.json`);
  await writeFile(file, JSON.stringify([...keysSent]));
  keysSent.clear();
});
