import { tracingChannel } from 'node:diagnostics_channel';
import { LOAD_CHANNEL, LOCK_WAIT_CHANNEL } from './channel-names.js';
import type { LoadEvent } from './load-event.js';
import type { LockWaitEvent } from './lock-wait-event.js';

/** Publishes loader runs. Check `hasSubscribers` before building an event. */
export const loadChannel = tracingChannel<LoadEvent, LoadEvent>(LOAD_CHANNEL);

/** Publishes lock waits. Check `hasSubscribers` before building an event. */
export const lockWaitChannel = tracingChannel<LockWaitEvent, LockWaitEvent>(LOCK_WAIT_CHANNEL);
