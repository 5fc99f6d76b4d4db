import { describe, expect, it } from "vitest";
import { backoffDelayMs, parseRetryAfter, sleep, withRetry } from "./retry";

describe("retry kit", () => {
  it("grows the backoff exponentially up to the cap, with full jitter", () => {
    const policy = { attempts: 5, baseMs: 500, capMs: 30_000, random: () => 0.999999 };
    expect([1, 2, 3, 7, 20].map((n) => backoffDelayMs(policy, n))).toEqual([499, 999, 1999, 29_999, 29_999]);
    expect(backoffDelayMs({ ...policy, random: () => 0 }, 3)).toBe(0);
  });

  it("parses Retry-After as seconds or an HTTP-date", () => {
    const now = Date.parse("Wed, 21 Oct 2015 07:28:00 GMT");
    expect(parseRetryAfter("120", now)).toBe(120_000);
    expect(parseRetryAfter(" 0 ", now)).toBe(0);
    expect(parseRetryAfter("Wed, 21 Oct 2015 07:28:30 GMT", now)).toBe(30_000);
    expect(parseRetryAfter("Wed, 21 Oct 2015 07:00:00 GMT", now)).toBe(0);
    expect(parseRetryAfter("soon", now)).toBeUndefined();
    expect(parseRetryAfter("-5", now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });

  it("sleeps abortably", async () => {
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(), 20);
    await expect(sleep(10_000, controller.signal)).rejects.toMatchObject({ name: "AbortError" });
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it("stops at the first done result, or reports the last reason after the last attempt", async () => {
    let calls = 0;
    const done = await withRetry({ attempts: 4, baseMs: 1, capMs: 1 }, async (n) =>
      ++calls && n < 3 ? { kind: "retry", reason: `try ${n}` } : { kind: "done", value: n },
    );
    expect(done).toEqual({ kind: "done", value: 3, attempts: 3 });
    const exhausted = await withRetry({ attempts: 2, baseMs: 1, capMs: 1 }, async (n) => ({ kind: "retry", reason: `try ${n}` }));
    expect(exhausted).toEqual({ kind: "exhausted", reason: "try 2 (after 2 attempts)", attempts: 2 });
  });
});
