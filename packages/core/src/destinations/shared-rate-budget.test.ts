// The shared rate budget as two workers use it: two budget instances on two Prisma clients (two pools,
// as two processes would have), drawing from one account in the real control-plane table.
import { createDb, type Db } from "@sluice/db";
import { testDatabaseUrl, uniqueName } from "@sluice/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SharedRateBudget } from "./shared-rate-budget";

/** The most grants any half-open window [t, t + windowMs) holds. */
function busiestWindow(times: number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while ((sorted[j] as number) < (sorted[i] as number) - windowMs + 1) j++;
    most = Math.max(most, i - j + 1);
  }
  return most;
}

let workerA: Db;
let workerB: Db;
beforeAll(() => {
  workerA = createDb(testDatabaseUrl(), { maxConnections: 3 });
  workerB = createDb(testDatabaseUrl(), { maxConnections: 3 });
});
afterAll(async () => {
  await Promise.all([workerA.$disconnect(), workerB.$disconnect()]);
});

describe("SharedRateBudget", () => {
  it("keeps two workers together under 20 requests / 2 s in every sliding window, using at least 90% of it", async () => {
    const account = uniqueName("acct");
    const limit = { requests: 20, perMs: 2_000 };
    // Grants are judged by the instants the budget hands out (the database's clock): when a take resolves
    // on a loaded machine also depends on event-loop lag, which no budget controls.
    const slots: { at: number; worker: number }[] = [];
    const early: number[] = [];
    class Recording extends SharedRateBudget {
      /** Where the next reservation is recorded (take() calls reserve() synchronously, before any await). */
      into: { at: number } | undefined;
      constructor(
        db: Db,
        private readonly worker: number,
      ) {
        super(db);
      }
      override async reserve(account: string, l: typeof limit) {
        const into = this.into;
        this.into = undefined;
        const slot = await super.reserve(account, l);
        slots.push({ at: slot.at.getTime(), worker: this.worker });
        if (into) into.at = slot.at.getTime();
        return slot;
      }
    }
    const budgets = [new Recording(workerA, 0), new Recording(workerB, 1)];
    const runMs = 4_000;
    const start = Date.now();
    // Three requests at a time from each worker, as their concurrency limiters would allow.
    const loops = budgets.flatMap((budget) =>
      Array.from({ length: 3 }, async () => {
        while (Date.now() < start + runMs) {
          const mine = { at: Number.NaN };
          budget.into = mine;
          await budget.take(account, limit);
          // take() never resolves before its slot (same machine, same clock; 2 ms for rounding).
          if (!(Date.now() >= mine.at - 2)) early.push(mine.at - Date.now());
        }
      }),
    );
    await Promise.all(loops);
    const times = slots.map((g) => g.at);
    expect(busiestWindow(times, limit.perMs)).toBeLessThanOrEqual(limit.requests);
    const first = Math.min(...times);
    const inRun = times.filter((t) => t < first + runMs).length;
    expect(inRun).toBeGreaterThanOrEqual(0.9 * limit.requests * (runMs / limit.perMs));
    expect(early).toEqual([]);
    // Both workers were served.
    expect(new Set(slots.map((g) => g.worker)).size).toBe(2);
  });

  it("block() holds every worker until its instant, then paces again", async () => {
    const account = uniqueName("acct");
    const limit = { requests: 10, perMs: 1_000 };
    const a = new SharedRateBudget(workerA);
    const b = new SharedRateBudget(workerB);
    await a.take(account, limit);
    const until = Date.now() + 600;
    await a.block(account, until);
    await b.block(account, until - 300); // an earlier block does not shorten it
    const slots = await Promise.all([a.reserve(account, limit), b.reserve(account, limit)]);
    const [first, second] = slots.map((r) => r.at.getTime()).sort((x, y) => x - y) as [number, number];
    expect(first).toBeGreaterThanOrEqual(until);
    expect(second - first).toBeGreaterThanOrEqual(1_000 / limit.requests);
    // take() sleeps until its slot: after the two reserved above.
    await b.take(account, limit);
    expect(Date.now()).toBeGreaterThanOrEqual(second + 90);
  });

  it("holds an account it has never seen when blocked first", async () => {
    const account = uniqueName("acct");
    const until = Date.now() + 300;
    await new SharedRateBudget(workerB).block(account, until);
    await new SharedRateBudget(workerA).take(account, { requests: 100, perMs: 1_000 });
    expect(Date.now()).toBeGreaterThanOrEqual(until - 2);
  });

  it("rejects with the abort reason while waiting", async () => {
    const account = uniqueName("acct");
    const limit = { requests: 1, perMs: 60_000 };
    const budget = new SharedRateBudget(workerA);
    await budget.take(account, limit);
    const controller = new AbortController();
    const waiting = budget.take(account, limit, controller.signal);
    setTimeout(() => controller.abort(new Error("worker draining")), 50);
    await expect(waiting).rejects.toThrow("worker draining");
  });
});
