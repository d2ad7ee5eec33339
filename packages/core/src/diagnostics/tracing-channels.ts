import { type TracingChannel, tracingChannel } from 'node:diagnostics_channel';
import type { CallEvent, RefreshEvent } from './call-event.js';
import {
  CALL_CHANNELS,
  type CallOp,
  LOAD_CHANNEL,
  LOCK_WAIT_CHANNEL,
  REFRESH_CHANNEL,
} from './channel-names.js';
import type { LoadEvent } from './load-event.js';
import type { LockWaitEvent } from './lock-wait-event.js';

/** Publishes loader runs. Check `hasSubscribers` before building an event. */
export const loadChannel = tracingChannel<LoadEvent, LoadEvent>(LOAD_CHANNEL);

/** Publishes lock waits. Check `hasSubscribers` before building an event. */
export const lockWaitChannel = tracingChannel<LockWaitEvent, LockWaitEvent>(LOCK_WAIT_CHANNEL);

/** Publishes background refresh-ahead runs. Check `hasSubscribers` before building an event. */
export const refreshChannel = tracingChannel<RefreshEvent, RefreshEvent>(REFRESH_CHANNEL);

/** Each operation's call channel. Check `hasSubscribers` before building an event. */
export const callChannels = Object.fromEntries(
  Object.entries(CALL_CHANNELS).map(([op, name]) => [op, tracingChannel<CallEvent, CallEvent>(name)]),
) as { readonly [op in CallOp]: TracingChannel<CallEvent, CallEvent> };
