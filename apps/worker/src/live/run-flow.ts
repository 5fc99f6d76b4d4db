// What one worker measures about a run it executes, for the live view: records/s over a sliding window,
// time throttled, the sampled events it keeps (a ring buffer, so a page that reconnects sees the recent
// ones) and the cap on how many events per second it publishes.
import type { LiveRunEvent } from "@sluice/contracts/live";
import type { RunFlow } from "./read-run-state";

export interface RunFlowLimits {
  /** Sampled events published per run and second; the rest are counted as dropped. */
  maxEventsPerSecond: number;
  /** Events kept per run for snapshots. */
  bufferSize: number;
  /** records/s is averaged over this window. */
  rateWindowMs: number;
}

/** Below this, a rate over a barely started window would be wildly high. */
const MIN_RATE_SPAN_MS = 1_000;

export class RunFlowMeter {
  private readonly batches: { at: number; records: number }[] = [];
  private readonly events: LiveRunEvent[] = [];
  /** When records started flowing (delivering entered, or the first batch began). */
  private flowingSince: number | undefined;
  private throttledMs: number | null = null;
  private dropped = 0;
  private secondStartedAt = 0;
  private inSecond = 0;

  constructor(private readonly limits: RunFlowLimits) {}

  /** Delivering (re)starts: the rate counts from here. */
  startFlowing(now: number): void {
    this.flowingSince = now;
    this.batches.length = 0;
  }

  stopFlowing(): void {
    this.flowingSince = undefined;
    this.batches.length = 0;
  }

  addBatch(now: number, records: number, latencyMs: number, throttledMs: number | undefined): void {
    this.flowingSince ??= now - latencyMs;
    this.batches.push({ at: now, records });
    if (throttledMs !== undefined) this.throttledMs = (this.throttledMs ?? 0) + throttledMs;
  }

  /** True when the event may be published (and it is then kept); false when over the rate (counted as dropped). */
  admitEvent(now: number, event: LiveRunEvent): boolean {
    if (now - this.secondStartedAt >= 1_000) {
      this.secondStartedAt = now;
      this.inSecond = 0;
    }
    if (this.inSecond >= this.limits.maxEventsPerSecond) {
      this.dropped++;
      return false;
    }
    this.inSecond++;
    this.events.push(event);
    if (this.events.length > this.limits.bufferSize) this.events.splice(0, this.events.length - this.limits.bufferSize);
    return true;
  }

  recentEvents(): LiveRunEvent[] {
    return [...this.events];
  }

  flow(now: number): RunFlow {
    return { recordsPerSecond: this.recordsPerSecond(now), throttledMs: this.throttledMs, droppedEvents: this.dropped };
  }

  private recordsPerSecond(now: number): number {
    if (this.flowingSince === undefined) return 0;
    const from = now - this.limits.rateWindowMs;
    while (this.batches.length > 0 && (this.batches[0]?.at ?? now) < from) this.batches.shift();
    const records = this.batches.reduce((sum, b) => sum + b.records, 0);
    const spanMs = Math.max(MIN_RATE_SPAN_MS, now - Math.max(from, this.flowingSince));
    return Math.round((records * 1_000 * 10) / spanMs) / 10;
  }
}
