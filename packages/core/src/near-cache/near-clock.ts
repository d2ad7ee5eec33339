import { setTimeout as realTimeout } from 'node:timers';

/**
 * The near cache's clock: `performance.now()` read at most once per millisecond, and at least
 * once per `READS_PER_CLOCK` reads. A hit only compares an expiry with it, and reading the
 * real clock cost about as much as the rest of a hit (~80 ns on Node 20).
 *
 * A reading is kept until a 1 ms timer (unref'd: it holds no process open) lets it go, so an
 * entry may be served up to a millisecond past its expiry — or, while the event loop does not
 * turn (a tight loop of awaited hits), for at most `READS_PER_CLOCK` reads: then no push can be
 * read either, so the near cache is as of the last turn anyway. The timer is node:timers'
 * (fake timers do not count or hold it), and a `performance.now` that is not the one this
 * module started with (fake timers) is read every time: a fake clock jumps without a turn.
 * A reading is dropped as soon as the global `setTimeout` is another than when it was taken
 * (fake timers installed or removed): checking that costs a global load, while `performance`
 * is a getter on `globalThis` (~13 ns, as much as the rest of `nearNow`).
 *
 * The clock never runs behind a time the near cache was given (`nearClockSaw`): a push read
 * at `now` demotes its entry to expire at `now`, and the next hit must not find it fresh.
 */
const READS_PER_CLOCK = 1024;
const nativeNow = performance.now;

let reading = -1;
let readsLeft = 0;
let timerArmed = false;
let timersAtRead: unknown;

const letGo = () => {
  reading = -1;
  timerArmed = false;
};

/** Now, in `performance.now()` milliseconds, at most a millisecond old. */
export function nearNow(): number {
  if (reading >= 0 && --readsLeft > 0 && setTimeout === timersAtRead) return reading;
  return readClock();
}

function readClock(): number {
  const now = performance.now();
  if (performance.now !== nativeNow) {
    reading = -1;
    return now;
  }
  reading = now;
  readsLeft = READS_PER_CLOCK;
  timersAtRead = setTimeout;
  if (!timerArmed) {
    timerArmed = true;
    realTimeout(letGo, 1).unref();
  }
  return now;
}

/** A time read elsewhere and handed to the near cache: from now on the clock is at least that. */
export function nearClockSaw(time: number): void {
  if (reading >= 0 && time > reading) reading = time;
}
