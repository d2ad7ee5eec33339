import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach } from 'vitest';
import { command } from './contract-helpers.js';
import type { ConnectForContract, DriverContractSetup } from './contract-setup.js';

/** The current test's setup and keys; registers the hooks that open and clean them. */
export interface ContractContext {
  /** The setup of the test that is running. */
  current(): DriverContractSetup;
  /** A fresh key under this run's prefix (deleted after the test). */
  key(label: string): string;
  /** A key that nothing writes, for round trips. */
  readonly probeKey: string;
}

export function contractContext(connect: ConnectForContract): ContractContext {
  // One hash tag for the whole run: every key shares a slot, so multi-key scripts work on a cluster too.
  const prefix = `{redcache-contract:${randomUUID()}}:`;
  const used = new Set<string>();
  let setup: DriverContractSetup | undefined;
  let sequence = 0;

  beforeEach(async () => {
    setup = await connect();
  });
  afterEach(async () => {
    const done = setup;
    setup = undefined;
    if (done === undefined) return;
    try {
      if (used.size > 0) await done.other.send([...used].map((key) => command(key, 'DEL', key)));
    } finally {
      used.clear();
      await done.cleanup();
    }
  });

  return {
    current() {
      if (setup === undefined) throw new Error('driver contract: no setup (connect() failed?)');
      return setup;
    },
    key(label) {
      const key = `${prefix}${label}:${++sequence}`;
      used.add(key);
      return key;
    },
    probeKey: `${prefix}probe`,
  };
}
