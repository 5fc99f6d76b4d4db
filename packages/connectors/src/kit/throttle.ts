// Throttling shared by every HTTP destination: a rate budget per destination account (how many requests
// may start, across every sync and worker), and adaptive concurrency (how many may be in flight at once
// from this process) — additive increase while the destination answers quickly, multiplicative decrease
// on 429s and on rising latency, the way TCP congestion control and RudderStack's throttler behave.
import type { RateLimit } from "./contract";
import { sleep } from "./retry";

/** Grants request starts against an account's documented rate limit. */
export interface RateBudget {
  /** Resolves when one request to `account` may start; rejects with the abort reason when `signal` aborts. */
  take(account: string, limit: RateLimit, signal?: AbortSignal): Promise<void>;
  /** A 429 said the account is out of budget: nothing more starts until `untilMs` (epoch ms). */
  block?(account: string, untilMs: number): Promise<void>;
}

/**
 * A token bucket per account in this process's memory. It is right for one process only; the engine
 * passes a budget shared through the control-plane database when several workers write to one account.
 */
export class InMemoryRateBudget implements RateBudget {
  private readonly buckets = new Map<string, { tokens: number; at: number; blockedUntil: number }>();

  async take(account: string, limit: RateLimit, signal?: AbortSignal): Promise<void> {
    for (;;) {
      const wait = this.tryTake(account, limit);
      if (wait === 0) return;
      await sleep(wait, signal);
    }
  }

  async block(account: string, untilMs: number): Promise<void> {
    const bucket = this.buckets.get(account);
    if (bucket) bucket.blockedUntil = Math.max(bucket.blockedUntil, untilMs);
    else this.buckets.set(account, { tokens: 0, at: Date.now(), blockedUntil: untilMs });
  }

  /** 0 when a token was taken, else milliseconds until one will be there. */
  private tryTake(account: string, limit: RateLimit): number {
    const now = Date.now();
    const rate = limit.requests / limit.perMs;
    const bucket = this.buckets.get(account) ?? { tokens: limit.requests, at: now, blockedUntil: 0 };
    this.buckets.set(account, bucket);
    if (bucket.blockedUntil > now) return bucket.blockedUntil - now;
    bucket.tokens = Math.min(limit.requests, bucket.tokens + (now - bucket.at) * rate);
    bucket.at = now;
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / rate));
  }
}

export interface ConcurrencyOptions {
  initial: number;
  max: number;
  /** Latency above this multiple of the best recently seen counts as congestion. */
  latencyFactor?: number;
}

/**
 * Additive-increase / multiplicative-decrease limit on requests in flight. `acquire` waits for a slot;
 * `release` reports how the request went. A 429 halves the limit; a latency well above the best seen
 * lowers it by a quarter; otherwise each full window of successes adds one.
 */
export class AdaptiveConcurrency {
  private limitValue: number;
  private inFlight = 0;
  private readonly waiters: (() => void)[] = [];
  private successes = 0;
  private minLatencyMs = Number.POSITIVE_INFINITY;
  private lastDecreaseAt = 0;
  readonly max: number;
  private readonly latencyFactor: number;

  constructor(options: ConcurrencyOptions) {
    this.max = Math.max(1, Math.floor(options.max));
    this.limitValue = Math.min(this.max, Math.max(1, Math.floor(options.initial)));
    this.latencyFactor = options.latencyFactor ?? 3;
  }

  get limit(): number {
    return this.limitValue;
  }

  get active(): number {
    return this.inFlight;
  }

  async acquire(signal?: AbortSignal): Promise<void> {
    while (this.inFlight >= this.limitValue) {
      if (signal?.aborted) throw signal.reason instanceof Error ? signal.reason : new Error("aborted");
      await new Promise<void>((resolve) => {
        const wake = () => {
          signal?.removeEventListener("abort", wake);
          resolve();
        };
        this.waiters.push(wake);
        signal?.addEventListener("abort", wake, { once: true });
      });
    }
    this.inFlight++;
  }

  /** `outcome`: "ok" with the request's latency, "throttled" on a 429, "error" on anything else (no change). */
  release(outcome: { kind: "ok"; latencyMs: number } | { kind: "throttled" } | { kind: "error" }): void {
    this.inFlight = Math.max(0, this.inFlight - 1);
    const now = Date.now();
    if (outcome.kind === "throttled") {
      this.decrease(now, 0.5);
    } else if (outcome.kind === "ok") {
      this.minLatencyMs = Math.min(this.minLatencyMs, outcome.latencyMs);
      if (outcome.latencyMs > Math.max(50, this.minLatencyMs * this.latencyFactor)) {
        this.decrease(now, 0.75);
      } else if (++this.successes >= this.limitValue) {
        this.successes = 0;
        this.limitValue = Math.min(this.max, this.limitValue + 1);
      }
    }
    this.wakeAll();
  }

  /** At most one decrease per second: a burst of 429s from one window is one congestion signal. */
  private decrease(now: number, factor: number): void {
    this.successes = 0;
    if (now - this.lastDecreaseAt < 1_000) return;
    this.lastDecreaseAt = now;
    this.limitValue = Math.max(1, Math.floor(this.limitValue * factor));
  }

  private wakeAll(): void {
    for (const wake of this.waiters.splice(0)) wake();
  }
}

const limiters = new Map<string, AdaptiveConcurrency>();

/** This process's concurrency limiter for an account (shared by every sync writing to it from here). */
export function concurrencyFor(account: string, limit: RateLimit | undefined): AdaptiveConcurrency {
  let limiter = limiters.get(account);
  if (!limiter) {
    const max = limit?.maxConcurrency ?? 8;
    limiter = new AdaptiveConcurrency({ initial: limit?.initialConcurrency ?? Math.min(4, max), max });
    limiters.set(account, limiter);
  }
  return limiter;
}
