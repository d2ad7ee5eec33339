import { mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { BenchFigures } from './figures.js';

const resultsDirectory = new URL('../results/', import.meta.url);

/** Writes the figures to `bench/results/latest.json`; returns its path. */
export async function writeResults(figures: BenchFigures): Promise<string> {
  await mkdir(resultsDirectory, { recursive: true });
  const file = new URL('latest.json', resultsDirectory);
  await writeFile(file, `${JSON.stringify(figures, null, 2)}\n`);
  return fileURLToPath(file);
}
