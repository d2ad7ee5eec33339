import type { EventEmitter } from 'node:events';
import type { RedisArgument } from '@redis/client';

/** The options of a node-redis client that decide whether it can report invalidations. */
export interface ClientPortOptions {
  readonly RESP?: 2 | 3 | undefined;
  readonly emitInvalidate?: boolean | undefined;
}

/**
 * The part of a node-redis client the driver uses. Any `RedisClientType` has it; naming it
 * keeps the driver independent of the client's generic parameters (modules, scripts, type
 * mapping), and gives a cluster client one small shape to adapt to later.
 */
export interface ClientPort extends Pick<EventEmitter, 'on' | 'off'> {
  readonly options?: ClientPortOptions | undefined;
  /** Present when the client was created with a `clientSideCache`. */
  readonly clientSideCache?: Pick<EventEmitter, 'on' | 'off'> | undefined;
  readonly isOpen: boolean;
  readonly isReady: boolean;
  sendCommand(args: readonly RedisArgument[], options?: { typeMapping?: object }): Promise<unknown>;
  /**
   * A view of the client whose commands use these options (merged into the client's own
   * defaults once); node-redis has it, test doubles may not (see command-sender.ts).
   */
  withCommandOptions?(options: object): Pick<ClientPort, 'sendCommand'>;
  close(): Promise<void>;
  destroy(): void;
}
