import { ensureQueue } from "@sluice/core/queue/ensure-queue";
import { testDatabaseUrl } from "@sluice/db/testing";
import { beforeAll, describe, expect, it } from "vitest";
import { reapExpiredLeases } from "./reaper";
import { createTestSync, testServices } from "./test-fixtures";

const s = testServices();
beforeAll(() => ensureQueue(testDatabaseUrl()));

async function run(syncId: string, workspaceId: string, data: Record<string, unknown>) {
  return s.db.syncRun.create({ data: { syncId, workspaceId, trigger: "manual", ...data } });
}
async function jobFor(runId: string) {
  const rows = await s.db.$queryRaw<{ attempts: number; locked_at: Date | null }[]>`
    select attempts, locked_at from graphile_worker._private_jobs where key = ${`run:${runId}`}`;
  return rows[0];
}

describe("lease reaper", () => {
  it("re-enqueues runs whose lease expired or was released, and leaves the others alone", async () => {
    const { syncId, workspaceId } = await createTestSync(s, { schedule: { type: "manual" }, nextRunAt: null });
    const past = new Date(Date.now() - 60_000);
    const future = new Date(Date.now() + 60_000);
    const expired = await run(syncId, workspaceId, { status: "delivering", leaseOwner: "dead-worker", leaseExpiresAt: past });
    // Other runs of the same sync would break the one-unfinished-run index: use their own syncs.
    const other = async (data: Record<string, unknown>) => {
      const t = await createTestSync(s, { schedule: { type: "manual" }, nextRunAt: null });
      return run(t.syncId, t.workspaceId, data);
    };
    const released = await other({ status: "snapshotting", leaseOwner: null, leaseExpiresAt: null });
    const queuedTaken = await other({ status: "queued", leaseOwner: "dead-worker", leaseExpiresAt: past });
    const live = await other({ status: "delivering", leaseOwner: "live-worker", leaseExpiresAt: future });
    const queued = await other({ status: "queued" });
    const paused = await other({ status: "paused" });
    const done = await other({ status: "succeeded", leaseOwner: "dead-worker", leaseExpiresAt: past });

    const reaped = await reapExpiredLeases(s);
    expect(reaped).toEqual(expect.arrayContaining([expired.id, released.id, queuedTaken.id]));
    for (const r of [live, queued, paused, done]) expect(reaped).not.toContain(r.id);
    expect(await jobFor(expired.id)).toMatchObject({ attempts: 0, locked_at: null });
    expect(await jobFor(live.id)).toBeUndefined();

    // A job waits for a worker already: not added again.
    const again = await reapExpiredLeases(s);
    expect(again).not.toContain(expired.id);
  });

  it("re-enqueues a run whose job is still locked by a dead worker", async () => {
    const { syncId, workspaceId } = await createTestSync(s, { schedule: { type: "manual" }, nextRunAt: null });
    const r = await run(syncId, workspaceId, {
      status: "delivering",
      leaseOwner: "dead-worker",
      leaseExpiresAt: new Date(Date.now() - 1_000),
    });
    await s.db
      .$executeRaw`select graphile_worker.add_job('sync-run', json_build_object('runId', ${r.id}::text), job_key := ${`run:${r.id}`})`;
    await s.db
      .$executeRaw`update graphile_worker._private_jobs set locked_at = now(), locked_by = 'dead-worker' where key = ${`run:${r.id}`}`;
    expect(await reapExpiredLeases(s)).toContain(r.id);
    const jobs = await s.db.$queryRaw<{ n: number }[]>`
      select count(*)::int as n from graphile_worker._private_jobs
      where payload->>'runId' = ${r.id} and locked_at is null`;
    expect(jobs[0]?.n).toBe(1);
  });
});
