import { RESP_TYPES } from '@redis/client';

/**
 * How the drivers send commands. Replies: bytes stay bytes, maps come as flat arrays (see
 * normalize-reply). `timeout: 0` and no `abortSignal`: node-redis adds no timer or
 * `AbortSignal` of its own per command (by default it arms an `AbortSignal.timeout(5000)` for
 * each one, dropped once the command is written, costing about 10 % of a cold miss's CPU).
 * The engine bounds every round trip itself, with one deadline check per connection
 * (`commandTimeoutMs`, see core's runtime-driver.ts); these override a client's own
 * `commandOptions` defaults. They are merged into a client's defaults once, not per command
 * (see command-sender.ts).
 */
export const COMMAND_OPTIONS = {
  typeMapping: { [RESP_TYPES.BLOB_STRING]: Buffer, [RESP_TYPES.MAP]: Array },
  timeout: 0,
  abortSignal: undefined,
} as const;
