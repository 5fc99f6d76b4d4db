import { afterEach, describe, expect, it, vi } from "vitest";
import { InMemoryRateBudget } from "../../kit/throttle";
import { hubspotConfigSchema } from "./config";
import { HUBSPOT_RATE_WINDOW_MS } from "./contract";
import { contractFor } from "./deliver";

afterEach(() => {
  vi.useRealTimers();
});

/** Start times the kit's budget grants to `count` requests taken as fast as it allows, for this config. */
async function grants(requestsPer10Seconds: number, count: number): Promise<number[]> {
  vi.useFakeTimers({ now: 0 });
  const config = hubspotConfigSchema.parse({ accessToken: "t", requestsPer10Seconds });
  const limit = contractFor(config).rateLimit;
  if (!limit) throw new Error("no rate limit");
  const budget = new InMemoryRateBudget();
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const taken = budget.take("hubspot:test", limit);
    await vi.runAllTimersAsync();
    await taken;
    times.push(Date.now());
  }
  return times;
}

/** Most grants inside any rolling window of HubSpot's length. */
function busiestWindow(times: number[]): number {
  let most = 0;
  for (let i = 0, j = 0; j < times.length; j++) {
    while ((times[j] ?? 0) - (times[i] ?? 0) >= HUBSPOT_RATE_WINDOW_MS) i++;
    most = Math.max(most, j - i + 1);
  }
  return most;
}

describe("requests paced to the configured limit per rolling 10 seconds", () => {
  it("defaults to HubSpot's documented 190 per 10 s for Professional/Enterprise private apps", () => {
    const config = hubspotConfigSchema.parse({ accessToken: "t" });
    expect(contractFor(config).rateLimit).toMatchObject({ requests: 190, perMs: 10_000 });
    expect(contractFor(hubspotConfigSchema.parse({ accessToken: "t", requestsPer10Seconds: 100 })).rateLimit?.requests).toBe(100);
  });

  for (const limit of [190, 100, 250, 20]) {
    it(`${limit} per 10 s: never more in any window, and most of it used`, async () => {
      const busiest = busiestWindow(await grants(limit, limit * 3));
      expect(busiest).toBeLessThanOrEqual(limit);
      expect(busiest).toBeGreaterThanOrEqual(Math.floor(limit * 0.9));
    });
  }
});
