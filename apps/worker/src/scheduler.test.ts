import { ensureQueue } from "@sluice/core/queue/ensure-queue";
import { createDb } from "@sluice/db";
import { testDatabaseUrl } from "@sluice/db/testing";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runSchedulerTick, SCHEDULER_LOCK, startScheduler } from "./scheduler";
import { createTestSync, testServices } from "./test-fixtures";

const s = testServices();
// A second "worker": its own connection pool, as another process would have.
const otherDb = createDb(testDatabaseUrl(), { maxConnections: 4 });
const other = { ...s, db: otherDb };
beforeAll(() => ensureQueue(testDatabaseUrl()));
afterAll(() => otherDb.$disconnect());

const runsOf = (syncId: string) => s.db.syncRun.findMany({ where: { syncId } });
const interval = { type: "interval", every: "15m", everyMs: 900_000 };

describe("scheduler", () => {
  it("triggers a due interval sync once with two scheduler loops running, and moves nextRunAt on", async () => {
    const { syncId } = await createTestSync(s, { schedule: interval, nextRunAt: new Date(Date.now() - 1_000) });
    const before = Date.now();
    const loops = [startScheduler(s, { intervalMs: 20 }), startScheduler(other, { intervalMs: 20 })];
    await new Promise((r) => setTimeout(r, 1_000));
    await Promise.all(loops.map((l) => l.stop()));

    const runs = await runsOf(syncId);
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ trigger: "schedule", status: "queued" });
    const job = await s.db.$queryRaw<{ n: number }[]>`
      select count(*)::int as n from graphile_worker._private_jobs where key = ${`run:${runs[0]?.id}`}`;
    expect(job[0]?.n).toBe(1);
    const sync = await s.db.sync.findUniqueOrThrow({ where: { id: syncId } });
    expect(sync.nextRunAt?.getTime()).toBeGreaterThanOrEqual(before + 900_000);
    expect(sync.nextRunAt?.getTime()).toBeLessThanOrEqual(Date.now() + 900_000);
  });

  it("leaves the tick to whoever holds the advisory lock", async () => {
    const { syncId } = await createTestSync(s, { schedule: interval, nextRunAt: new Date(Date.now() - 1_000) });
    const holder = new pg.Client({ connectionString: testDatabaseUrl() });
    await holder.connect();
    try {
      await holder.query("select pg_advisory_lock($1)", [SCHEDULER_LOCK]);
      expect(await runSchedulerTick(s)).toEqual({ led: false, triggered: 0, due: 0 });
      expect(await runsOf(syncId)).toHaveLength(0);
      await holder.query("select pg_advisory_unlock($1)", [SCHEDULER_LOCK]);
      const tick = await runSchedulerTick(s);
      expect(tick.led).toBe(true);
      expect(tick.triggered).toBeGreaterThanOrEqual(1);
      expect(await runsOf(syncId)).toHaveLength(1);
    } finally {
      await holder.end();
    }
  });

  it("skips the slot without a second run while the previous run is unfinished", async () => {
    const { syncId } = await createTestSync(s, { schedule: interval, nextRunAt: new Date(Date.now() - 1_000) });
    await runSchedulerTick(s);
    await s.db.sync.update({ where: { id: syncId }, data: { nextRunAt: new Date(Date.now() - 1_000) } });
    const later = new Date(Date.now() + 5_000);
    await runSchedulerTick(s, later);
    expect(await runsOf(syncId)).toHaveLength(1);
    const sync = await s.db.sync.findUniqueOrThrow({ where: { id: syncId } });
    expect(sync.nextRunAt?.getTime()).toBe(later.getTime() + 900_000);
  });

  it("follows cron schedules in UTC and ignores manual, disabled and future syncs", async () => {
    const cron = await createTestSync(s, {
      schedule: { type: "cron", cron: "0 * * * *" },
      nextRunAt: new Date(Date.now() - 1_000),
    });
    const disabled = await createTestSync(s, { schedule: interval, nextRunAt: new Date(Date.now() - 1_000), enabled: false });
    const future = await createTestSync(s, { schedule: interval, nextRunAt: new Date(Date.now() + 60_000) });
    const manual = await createTestSync(s, { schedule: { type: "manual" }, nextRunAt: null });
    const now = new Date();
    await runSchedulerTick(s, now);
    expect(await runsOf(cron.syncId)).toHaveLength(1);
    const next = (await s.db.sync.findUniqueOrThrow({ where: { id: cron.syncId } })).nextRunAt as Date;
    expect(next.getUTCMinutes()).toBe(0);
    expect(next.getTime() - now.getTime()).toBeGreaterThan(0);
    expect(next.getTime() - now.getTime()).toBeLessThanOrEqual(3_600_000);
    for (const x of [disabled, future, manual]) expect(await runsOf(x.syncId)).toHaveLength(0);
  });

  it("stops scheduling a sync whose stored schedule is invalid, without failing the tick", async () => {
    const bad = await createTestSync(s, { schedule: { type: "sometimes" }, nextRunAt: new Date(Date.now() - 1_000) });
    const tick = await runSchedulerTick(s);
    expect(tick.led).toBe(true);
    expect(await runsOf(bad.syncId)).toHaveLength(0);
    expect((await s.db.sync.findUniqueOrThrow({ where: { id: bad.syncId } })).nextRunAt).toBeNull();
  });
});
