import type { Script } from '../wire/scripts/script.js';

/**
 * How calls of one script, from different callers, merge into one call of `many` (see
 * script-merge.ts): its arguments are `shared` leading ones, then `argsPerKey` per key in key
 * order; its reply is an array of `repliesPerKey` entries per key, in key order. Calls merge
 * only when their shared arguments are equal and their keys share a slot.
 */
export interface MergeLayout {
  /**
   * The script a merged call runs. A call of another script is a one-key call whose reply is
   * its key's one entry (set-if-locked, whose many-key form is set-if-locked-many).
   */
  readonly many: Script;
  readonly shared: number;
  readonly argsPerKey: number;
  readonly repliesPerKey: number;
  /** Keys per merged call at most (a call of more is sent as it is). */
  readonly maxKeys: number;
}

/**
 * The reply a call gets when the merged call it went in failed as a whole (an error reply, or
 * one of another shape): the other callers' keys may be why, so its caller sends it again on
 * its own. The script may have run in part (an error raised midway), or not at all.
 */
export class MergedReplyError extends Error {
  /** Redis's error reply, or the reply of another shape. */
  readonly reply: unknown;

  constructor(reply: unknown) {
    super(
      reply instanceof Error
        ? reply.message
        : `unexpected reply to a merged script: ${JSON.stringify(reply)?.slice(0, 200)}`,
      reply instanceof Error ? { cause: reply } : undefined,
    );
    this.name = 'MergedReplyError';
    this.reply = reply;
  }
}
