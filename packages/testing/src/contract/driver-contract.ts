import { describe } from 'vitest';
import { contractContext } from './contract-context.js';
import type { ConnectForContract } from './contract-setup.js';
import { lifecycleContract } from './lifecycle-contract.js';
import { lockScriptsContract } from './lock-scripts-contract.js';
import { nodesContract } from './nodes-contract.js';
import { readOrLockContract } from './read-or-lock-contract.js';
import { scriptContract } from './script-contract.js';
import { sendContract } from './send-contract.js';
import { trackingContract } from './tracking-contract.js';
import { writeScriptsContract } from './write-scripts-contract.js';

/**
 * The driver contract: what the engine relies on from a `Driver`, as a vitest `describe`
 * block. Call it at the top level of a test file; `connect` opens a fresh setup for each
 * test (two connections to one server). Tests run with real timers, against any server the
 * setup points at; keys live under a random prefix and are deleted after each test.
 *
 * @param name - the driver's name, in the block's title: `driver contract: <name>`.
 * @param connect - opens a fresh `DriverContractSetup` for each test; the suite calls its
 *   `cleanup` after the test.
 * @throws nothing when called: a failure of `connect`, `cleanup` or the driver fails the test
 *   it happened in.
 * @example
 * ```ts
 * driverContract('my driver', async () => {
 *   const driver = await connectMyDriver(url);
 *   const other = await connectMyDriver(url); // another "process"
 *   return {
 *     driver,
 *     other,
 *     loseConnection: () => killConnectionOf(driver),
 *     cleanup: async () => Promise.all([driver.close(), other.close()]).then(() => {}),
 *   };
 * });
 * ```
 */
export function driverContract(name: string, connect: ConnectForContract): void {
  describe(`driver contract: ${name}`, () => {
    const ctx = contractContext(connect);
    sendContract(ctx);
    scriptContract(ctx);
    lockScriptsContract(ctx);
    readOrLockContract(ctx);
    writeScriptsContract(ctx);
    trackingContract(ctx);
    lifecycleContract(ctx);
    nodesContract(ctx);
  });
}
