import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as contract from './contract/index.js';
import * as main from './index.js';

const src = dirname(fileURLToPath(import.meta.url));

/** Every module a file imports, following relative imports; bare specifiers collected. */
function packagesImported(entry: string): Set<string> {
  const seen = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(/^(?:import|export)\s[^;]*?\sfrom\s+['"]([^'"]+)['"];$/gm)) {
      const specifier = match[1]!;
      if (specifier.startsWith('.')) visit(resolve(dirname(file), specifier.replace(/\.js$/, '.ts')));
      else packages.add(specifier);
    }
  };
  visit(resolve(src, entry));
  return packages;
}

describe('entry points', () => {
  it('the main entry never imports vitest (it is a peer of ./contract only)', () => {
    const packages = packagesImported('index.ts');
    expect([...packages].filter((name) => name.startsWith('vitest'))).toEqual([]);
    expect([...packages].sort()).toEqual([
      '@redcache/core',
      '@redcache/core/internal',
      '@redcache/core/wire',
      'node:crypto',
    ]);
    expect(packagesImported('contract/index.ts')).toContain('vitest');
  });

  it('exports the public API', () => {
    expect(Object.keys(main).sort()).toEqual([
      'FakeCache',
      'MemoryDriver',
      'MemoryRedis',
      'createFakeCache',
      'createMemoryRedis',
    ]);
    expect(Object.keys(contract)).toEqual(['driverContract']);
  });
});
