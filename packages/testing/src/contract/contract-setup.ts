import type { Driver } from '@redcache/core';

/** What the contract suite needs for one test: two connections to one server, and how to hurt the first. */
export interface DriverContractSetup {
  /** The driver under test, connected, with nothing subscribed. */
  readonly driver: Driver;
  /** Another connection to the same server, as another process would have. */
  readonly other: Driver;
  /**
   * Makes `driver` lose its connection (CLIENT KILL, `dropConnection()`); it may reconnect by itself.
   *
   * @throws whatever stops it from killing the connection: the test that called it fails with it.
   */
  loseConnection(): Promise<void>;
  /** FLUSHALL. Leave it out on a server others use: the flush test is then skipped. */
  flushAll?: () => Promise<void>;
  /**
   * Closes what the setup opened (`driver` may be closed already).
   *
   * @throws whatever stops it from closing: the test after which it ran fails with it.
   */
  cleanup(): Promise<void>;
}

/** Opens a fresh setup for each test. */
export type ConnectForContract = () => Promise<DriverContractSetup>;
