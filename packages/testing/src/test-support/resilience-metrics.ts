import { NoopMetrics } from '@redcache/core';

/** Records the breaker's and the command bound's events, in order: `down:<reason>`, `up`, `timeout:<op>`. */
export class ResilienceMetrics extends NoopMetrics {
  readonly events: string[] = [];
  readonly outagesMs: number[] = [];
  override redisDown(reason: string): void {
    this.events.push(`down:${reason}`);
  }
  override redisUp(downMs: number): void {
    this.events.push('up');
    this.outagesMs.push(downMs);
  }
  override commandTimeout(op: string): void {
    this.events.push(`timeout:${op}`);
  }
}
