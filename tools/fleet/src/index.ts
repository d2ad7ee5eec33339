export type { AnyChannel, Channel } from './channel.js';
export { sleep, sleepUntil, wallClockMs } from './clock.js';
export { type EngineEvents, EventTally, type EventTallyOptions } from './event-tally.js';
export { type ForkedChild, type ForkOptions, forkChild } from './fork-child.js';
export { type IntOption, type IntOptionValues, intOptions, parseIntOptions } from './int-options.js';
export { type ChildService, notifyParent, serveParent } from './serve-parent.js';
