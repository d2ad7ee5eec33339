import { describe, expect, it } from 'vitest';
import { coreScripts } from '../core-scripts.js';
import { bytesEqual } from './bytes.js';
import { Keyspace } from './keyspace.js';
import { runCommand } from './run-command.js';
import { luaNumber } from './script-twin.js';
import { sha1Of, twinBySha, twinDigests } from './script-twins.js';
import { Session } from './session.js';
import { TrackingTable } from './tracking-table.js';
import { refreshSetTwin } from './twins/refresh-set.js';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('script twins', () => {
  it("has a twin for every script core exports, written against the script's current source", () => {
    for (const script of coreScripts) {
      expect(twinBySha(script.sha1)?.name, `twin of ${script.name}`).toBe(script.name);
      expect(sha1Of(script.source)).toBe(script.sha1);
    }
    // refresh-set has a twin even while core does not export its descriptor.
    expect([...twinDigests().keys()].sort()).toEqual([
      'acquire-write-lock',
      'extend-lock',
      'read-or-lock',
      'read-values',
      'refresh-set',
      'restore-value',
      'set-if-locked',
      'set-if-locked-many',
      'touch',
      'unlock',
    ]);
  });

  it('refresh-set: writes over exactly the expected value and re-arms tracking; skips a newer value, a lock, a missing key', () => {
    const invalidated: string[] = [];
    const tracking = new TrackingTable<string>();
    const host = {
      keyspace: new Keyspace(() => {}),
      tracking,
      scripts: new Map<string, string>(),
      cluster: false,
      invalidate: (key: string) => {
        for (const connection of tracking.take(key)) invalidated.push(`${connection}:${key}`);
      },
    };
    const session = new Session(host, 'me', 0);
    const call = (...args: Array<string | Uint8Array>) => runCommand(session, args);
    const refresh = (key: string, expected: string) =>
      refreshSetTwin(call, [key], [bytes('new'), bytes('30000'), bytes('lock:'), bytes(expected)]);
    host.keyspace.set('same', bytes('old'), 100);
    host.keyspace.set('newer', bytes('newer'), 100);
    host.keyspace.set('locked', bytes('lock:1'), 100);
    expect(refresh('same', 'old')).toBe(1);
    expect(bytesEqual(host.keyspace.get('same', 0)!.value, bytes('new'))).toBe(true);
    expect(host.keyspace.get('same', 0)!.expiresAt).toBe(30_000);
    expect(invalidated).toEqual(['me:same']);
    expect(tracking.isTracking('me', 'same')).toBe(true);
    expect([refresh('newer', 'old'), refresh('locked', 'lock:1'), refresh('missing', 'old')]).toEqual([
      0, 0, 0,
    ]);
    expect(host.keyspace.get('missing', 0)).toBeUndefined();
  });

  it("luaNumber reads numbers as Lua 5.1's tonumber does", () => {
    const cases: Array<[string, number | undefined]> = [
      ['3000', 3000],
      [' 12 ', 12],
      ['-5', -5],
      ['1.5', 1.5],
      ['1e3', 1000],
      ['0x10', 16],
      ['', undefined],
      ['12abc', undefined],
      ['abc', undefined],
    ];
    for (const [text, expected] of cases) expect(luaNumber(bytes(text)), text).toBe(expected);
    expect(luaNumber(undefined)).toBeUndefined();
  });
});
