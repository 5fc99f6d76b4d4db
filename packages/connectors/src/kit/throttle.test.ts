import { afterEach, describe, expect, it, vi } from "vitest";
import { AdaptiveConcurrency, InMemoryRateBudget, RATE_HEADROOM, tokensPerMs } from "./throttle";

/** The most starts any half-open window [t, t + windowMs) holds. */
function busiestWindow(starts: number[], windowMs: number): number {
  const sorted = [...starts].sort((a, b) => a - b);
  let most = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while ((sorted[j] as number) < (sorted[i] as number) - windowMs + 1) j++;
    most = Math.max(most, i - j + 1);
  }
  return most;
}

afterEach(() => {
  vi.useRealTimers();
});

describe("InMemoryRateBudget", () => {
  it("never grants more than the limit in any sliding window, and keeps close to it", async () => {
    vi.useFakeTimers({ now: 1_000_000 });
    const budget = new InMemoryRateBudget();
    const limit = { requests: 10, perMs: 1_000 };
    const starts: number[] = [];
    const takers = Array.from({ length: 5 }, async () => {
      while (Date.now() < 1_000_000 + 5_000) {
        await budget.take("acct", limit);
        starts.push(Date.now());
      }
    });
    await vi.advanceTimersByTimeAsync(6_000);
    await Promise.all(takers);
    const inFirstFive = starts.filter((t) => t < 1_000_000 + 5_000).length;
    expect(busiestWindow(starts, 1_000)).toBeLessThanOrEqual(10);
    // 50 in 5 s at the documented rate; the headroom keeps it a little under.
    expect(inFirstFive).toBeGreaterThanOrEqual(Math.floor(50 * RATE_HEADROOM) - 1);
  });

  it("keeps accounts apart", async () => {
    vi.useFakeTimers({ now: 0 });
    const budget = new InMemoryRateBudget();
    const limit = { requests: 1, perMs: 10_000 };
    await budget.take("a", limit);
    let bTook = false;
    void budget.take("b", limit).then(() => {
      bTook = true;
    });
    await vi.advanceTimersByTimeAsync(1);
    expect(bTook).toBe(true);
  });

  it("holds every taker until block()'s instant", async () => {
    vi.useFakeTimers({ now: 0 });
    const budget = new InMemoryRateBudget();
    const limit = { requests: 100, perMs: 1_000 };
    await budget.take("acct", limit);
    await budget.block("acct", 2_000);
    const granted: number[] = [];
    for (let i = 0; i < 3; i++) void budget.take("acct", limit).then(() => granted.push(Date.now()));
    await vi.advanceTimersByTimeAsync(1_999);
    expect(granted).toEqual([]);
    await vi.advanceTimersByTimeAsync(100);
    // After the block: one at its end, then paced again (no burst).
    expect(granted[0]).toBe(2_000);
    expect(granted.length).toBeGreaterThanOrEqual(3);
    expect((granted[2] as number) - (granted[0] as number)).toBeGreaterThanOrEqual(20);
    // A block earlier than the current one changes nothing; one on an account never seen holds it too.
    await budget.block("acct", 0);
    await budget.block("fresh", 3_000);
    let freshAt = 0;
    void budget.take("fresh", limit).then(() => {
      freshAt = Date.now();
    });
    await vi.advanceTimersByTimeAsync(1_000);
    expect(freshAt).toBe(3_000);
  });

  it("rejects a waiting take with the abort reason", async () => {
    const budget = new InMemoryRateBudget();
    const limit = { requests: 1, perMs: 60_000 };
    await budget.take("acct", limit);
    const controller = new AbortController();
    const waiting = budget.take("acct", limit, controller.signal);
    controller.abort(new Error("stop"));
    await expect(waiting).rejects.toThrow("stop");
  });

  it("refuses a limit that is not positive", () => {
    expect(() => tokensPerMs({ requests: 0, perMs: 1_000 })).toThrow(/invalid rate limit 0 per 1000 ms/);
    expect(tokensPerMs({ requests: 100, perMs: 10_000 })).toBeCloseTo(0.01 * RATE_HEADROOM);
  });
});

describe("AdaptiveConcurrency", () => {
  const okAt = (c: AdaptiveConcurrency, latencyMs: number, times = 1) => {
    for (let i = 0; i < times; i++) c.release({ kind: "ok", latencyMs });
  };

  it("adds one per window of successes, up to max", () => {
    const c = new AdaptiveConcurrency({ initial: 2, max: 5 });
    okAt(c, 20, 1);
    expect(c.limit).toBe(2);
    okAt(c, 20, 1);
    expect(c.limit).toBe(3);
    okAt(c, 20, 3);
    expect(c.limit).toBe(4);
    okAt(c, 20, 4);
    expect(c.limit).toBe(5);
    okAt(c, 20, 50);
    expect(c.limit).toBe(5);
  });

  it("halves on a 429 at most once per second, never below 1", () => {
    vi.useFakeTimers({ now: 10_000 });
    const c = new AdaptiveConcurrency({ initial: 8, max: 8 });
    c.release({ kind: "throttled" });
    expect(c.limit).toBe(4);
    c.release({ kind: "throttled" });
    c.release({ kind: "throttled" });
    expect(c.limit).toBe(4);
    vi.advanceTimersByTime(1_000);
    c.release({ kind: "throttled" });
    expect(c.limit).toBe(2);
    for (let i = 0; i < 5; i++) {
      vi.advanceTimersByTime(1_000);
      c.release({ kind: "throttled" });
    }
    expect(c.limit).toBe(1);
  });

  it("lowers the limit by a quarter on a latency spike, and takes a lasting rise as the new normal", () => {
    vi.useFakeTimers({ now: 0 });
    const c = new AdaptiveConcurrency({ initial: 4, max: 8 });
    okAt(c, 30, 3);
    expect(c.limit).toBe(4);
    okAt(c, 200); // > 3 × 30 ms
    expect(c.limit).toBe(3);
    // Below the 50 ms floor nothing is a spike, whatever the baseline.
    const fast = new AdaptiveConcurrency({ initial: 2, max: 8 });
    okAt(fast, 2, 2);
    okAt(fast, 45, 3);
    expect(fast.limit).toBe(4);
    // Once the slow latency is all the recent history holds, it no longer counts as a spike.
    vi.advanceTimersByTime(1_000);
    okAt(c, 200, 40);
    expect(c.limit).toBeGreaterThan(3);
  });

  it("never goes below 1 on latency spikes either", () => {
    vi.useFakeTimers({ now: 0 });
    const c = new AdaptiveConcurrency({ initial: 1, max: 4 });
    okAt(c, 10);
    vi.advanceTimersByTime(1_000);
    okAt(c, 500);
    expect(c.limit).toBe(1);
    vi.advanceTimersByTime(1_000);
    okAt(c, 900);
    expect(c.limit).toBe(1);
  });

  it("errors leave the limit alone", () => {
    const c = new AdaptiveConcurrency({ initial: 3, max: 6 });
    for (let i = 0; i < 10; i++) c.release({ kind: "error" });
    expect(c.limit).toBe(3);
  });

  it("keeps the initial limit within 1 and max", () => {
    expect(new AdaptiveConcurrency({ initial: 0, max: 4 }).limit).toBe(1);
    expect(new AdaptiveConcurrency({ initial: 9, max: 4 }).limit).toBe(4);
    expect(new AdaptiveConcurrency({ initial: 2, max: 0 }).max).toBe(1);
  });

  it("makes acquire wait for a slot, and an aborted wait takes none", async () => {
    const c = new AdaptiveConcurrency({ initial: 2, max: 2 });
    await c.acquire();
    await c.acquire();
    expect(c.active).toBe(2);
    let third = false;
    const waiting = c.acquire().then(() => {
      third = true;
    });
    const controller = new AbortController();
    const aborted = c.acquire(controller.signal);
    await Promise.resolve();
    expect(third).toBe(false);
    controller.abort(new Error("gone"));
    await expect(aborted).rejects.toThrow("gone");
    c.release({ kind: "error" });
    await waiting;
    expect(third).toBe(true);
    expect(c.active).toBe(2);
  });
});
