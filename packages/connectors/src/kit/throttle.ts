// Throttling shared by every HTTP destination: a rate budget per destination account (how many requests
// may start, across every sync and worker), and adaptive concurrency (how many may be in flight at once
// from this process) — additive increase while the destination answers quickly, multiplicative decrease
// on 429s and on rising latency, the way TCP congestion control and RudderStack's throttler behave.
import type { RateLimit } from "./contract";
import { abortError, sleep } from "./retry";

/** Grants request starts against an account's documented rate limit. */
export interface RateBudget {
  /** Resolves when one request to `account` may start; rejects with the abort reason when `signal` aborts. */
  take(account: string, limit: RateLimit, signal?: AbortSignal): Promise<void>;
  /** A 429 said the account is out of budget: nothing more starts until `untilMs` (epoch ms). */
  block?(account: string, untilMs: number): Promise<void>;
}

/**
 * Budgets pace requests slightly under the documented rate: the destination counts arrivals, which network
 * jitter can bunch up a little, and a window it measures must never see one request too many.
 */
export const RATE_HEADROOM = 0.98;

/**
 * Tokens per millisecond a budget grants for `limit`. Buckets hold at most one token (no burst): a bucket
 * that could fill to `requests` would allow up to twice the limit in one sliding window (a full bucket spent
 * at once, then a window's worth of refill), and vendors count sliding windows.
 */
export function tokensPerMs(limit: RateLimit): number {
  if (!(limit.requests > 0) || !(limit.perMs > 0)) {
    throw new Error(`invalid rate limit ${limit.requests} per ${limit.perMs} ms: both must be positive`);
  }
  return (limit.requests * RATE_HEADROOM) / limit.perMs;
}

/**
 * A token bucket per account in this process's memory. It is right for one process only; the engine
 * passes a budget shared through the control-plane database when several workers write to one account.
 */
export class InMemoryRateBudget implements RateBudget {
  private readonly buckets = new Map<string, { tokens: number; at: number; blockedUntil: number }>();

  async take(account: string, limit: RateLimit, signal?: AbortSignal): Promise<void> {
    const rate = tokensPerMs(limit);
    for (;;) {
      const wait = this.tryTake(account, rate);
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
  private tryTake(account: string, rate: number): number {
    const now = Date.now();
    const bucket = this.buckets.get(account) ?? { tokens: 1, at: now, blockedUntil: 0 };
    this.buckets.set(account, bucket);
    if (bucket.blockedUntil > now) return bucket.blockedUntil - now;
    bucket.tokens = Math.min(1, bucket.tokens + (now - bucket.at) * rate);
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

/** Latencies below this never count as a spike: a fast API's jitter is not congestion. */
const LATENCY_SPIKE_FLOOR_MS = 50;
/** "Recently": the best latency of the last this many successful requests is the baseline. */
const LATENCY_SAMPLES = 32;
/** A burst of 429s or slow answers from one window is one congestion signal. */
const DECREASE_INTERVAL_MS = 1_000;

/**
 * Additive-increase / multiplicative-decrease limit on requests in flight. `acquire` waits for a slot;
 * `release` reports how the request went. A 429 halves the limit; a latency well above the best seen
 * recently lowers it by a quarter; otherwise each full window of successes adds one.
 */
export class AdaptiveConcurrency {
  private limitValue: number;
  private inFlight = 0;
  private readonly waiters = new Set<() => void>();
  private successes = 0;
  /** Latencies of the last successes (ring buffer): the baseline moves when the destination's normal does. */
  private readonly latencies: number[] = [];
  private nextLatency = 0;
  private lastDecreaseAt = Number.NEGATIVE_INFINITY;
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

  /** Waits for a slot; rejects with the abort reason when `signal` aborts first (then holds no slot). */
  async acquire(signal?: AbortSignal): Promise<void> {
    for (;;) {
      if (signal?.aborted) throw abortError(signal);
      if (this.inFlight < this.limitValue) break;
      await new Promise<void>((resolve) => {
        const wake = () => {
          this.waiters.delete(wake);
          signal?.removeEventListener("abort", wake);
          resolve();
        };
        this.waiters.add(wake);
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
      const baseline = this.bestRecentLatency();
      this.remember(outcome.latencyMs);
      if (outcome.latencyMs > Math.max(LATENCY_SPIKE_FLOOR_MS, baseline * this.latencyFactor)) {
        this.decrease(now, 0.75);
      } else if (++this.successes >= this.limitValue) {
        this.successes = 0;
        this.limitValue = Math.min(this.max, this.limitValue + 1);
      }
    }
    for (const wake of [...this.waiters]) wake();
  }

  private decrease(now: number, factor: number): void {
    this.successes = 0;
    if (now - this.lastDecreaseAt < DECREASE_INTERVAL_MS) return;
    this.lastDecreaseAt = now;
    this.limitValue = Math.max(1, Math.floor(this.limitValue * factor));
  }

  private bestRecentLatency(): number {
    return this.latencies.length === 0 ? Number.POSITIVE_INFINITY : Math.min(...this.latencies);
  }

  private remember(latencyMs: number): void {
    this.latencies[this.nextLatency] = latencyMs;
    this.nextLatency = (this.nextLatency + 1) % LATENCY_SAMPLES;
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
