// Pause, resume, cancel, shutdown (SIGTERM) and concurrent triggers, end to end.
import { testDatabaseUrl } from "@sluice/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureQueue } from "../queue/ensure-queue";
import { testServices, workspaceWithRole } from "../testing/fixtures";
import { cancelRun } from "./cancel-run";
import { executeRun } from "./execute-run";
import { getRun } from "./get-run";
import { takeLease } from "./lease";
import { listRuns } from "./list-runs";
import { pauseRun } from "./pause-run";
import { resumeRun } from "./resume-run";
import { createSyncFixture, execute, opsByKey, runSync, Warehouse } from "./testing/fixtures";
import { startSink } from "./testing/sink";
import { triggerRun } from "./trigger-run";

const s = testServices({ allowPrivateDestinations: true });
let warehouse: Warehouse;

beforeAll(async () => {
  await ensureQueue(testDatabaseUrl());
  warehouse = await Warehouse.create("control");
});
afterAll(async () => {
  await warehouse.close();
});

const ALL = Array.from({ length: 10 }, (_, i) => `insert:${i + 1}`).sort();

async function tenRows(): Promise<string> {
  const name = `t_${Math.random().toString(36).slice(2, 8)}`;
  await warehouse.sql(`create table public.${name} (id int, email text, plan text, score text)`);
  await warehouse.sql(`insert into public.${name} select g, 'u' || g || '@x', 'free', g::text from generate_series(1, 10) g`);
  return name;
}

async function fixture(ctx: Awaited<ReturnType<typeof workspaceWithRole>>, sinkUrl: string) {
  const t = await tenRows();
  return createSyncFixture(ctx, {
    warehouseUrl: warehouse.url,
    sinkUrl,
    query: `select * from public.${t}`,
    primaryKey: ["id"],
    mode: "upsert",
    batchSize: 2,
  });
}

async function jobCount(runId: string): Promise<number> {
  const rows = await s.db.$queryRaw<{ n: bigint }[]>`
    select count(*) as n from graphile_worker._private_jobs where key = ${`run:${runId}`}`;
  return Number(rows[0]?.n ?? 0);
}

describe("pause and resume", () => {
  it("pauses mid-delivery at a checkpoint and resumes from it: every record delivered exactly once", async () => {
    const ctx = await workspaceWithRole(s);
    let runId = "";
    const sink = await startSink({
      beforeAnswer: async (_batch, index) => {
        if (index === 1) await pauseRun(ctx, { runId });
      },
    });
    try {
      const { syncId } = await fixture(ctx, sink.url);
      runId = (await triggerRun(ctx, { syncId, trigger: "manual" })).run.id;
      await execute(s, runId);
      const paused = await getRun(ctx, { runId });
      expect(paused).toMatchObject({ status: "paused", counts: { delivered: 4 } });
      expect(paused.timeline.at(-1)).toMatchObject({ from: "delivering", to: "paused", detail: "paused after 2 batches" });
      expect(sink.received).toHaveLength(4);
      const row = await s.db.syncRun.findUniqueOrThrow({ where: { id: runId } });
      expect(row).toMatchObject({ leaseOwner: null, pauseRequested: false });
      // A paused run is not picked up by a worker, and a trigger returns it rather than overlapping it.
      await execute(s, runId);
      expect(sink.received).toHaveLength(4);
      expect(await triggerRun(ctx, { syncId, trigger: "manual" })).toMatchObject({ created: false, run: { id: runId } });

      const resumed = await resumeRun(ctx, { runId });
      expect(resumed.status).toBe("delivering");
      expect(await jobCount(runId)).toBe(1);
      await execute(s, runId);
      expect(await getRun(ctx, { runId })).toMatchObject({ status: "succeeded", counts: { delivered: 10 } });
      expect(opsByKey(sink.received)).toEqual(ALL);
    } finally {
      await sink.close();
    }
  });

  it("pauses a queued run at once and resumes it from the start", async () => {
    const ctx = await workspaceWithRole(s);
    const sink = await startSink();
    try {
      const { syncId } = await fixture(ctx, sink.url);
      const { run } = await triggerRun(ctx, { syncId, trigger: "manual" });
      expect((await pauseRun(ctx, { runId: run.id })).status).toBe("paused");
      await execute(s, run.id);
      expect(sink.received).toEqual([]);
      expect((await resumeRun(ctx, { runId: run.id })).status).toBe("queued");
      await execute(s, run.id);
      expect((await getRun(ctx, { runId: run.id })).status).toBe("succeeded");
      expect(opsByKey(sink.received)).toEqual(ALL);
    } finally {
      await sink.close();
    }
  });
});

describe("cancel", () => {
  it("cancels mid-delivery without committing: transient tables dropped, the next run re-sends everything", async () => {
    const ctx = await workspaceWithRole(s);
    let runId = "";
    const sink = await startSink({
      beforeAnswer: async (_batch, index) => {
        if (index === 0) await cancelRun(ctx, { runId });
      },
    });
    try {
      const { syncId } = await fixture(ctx, sink.url);
      runId = (await triggerRun(ctx, { syncId, trigger: "manual" })).run.id;
      await execute(s, runId);
      const cancelled = await getRun(ctx, { runId });
      expect(cancelled).toMatchObject({ status: "cancelled", counts: { delivered: 2 } });
      expect(sink.received).toHaveLength(2);
      expect(await warehouse.sluiceTables()).not.toContainEqual(expect.stringContaining(runId.toLowerCase()));
      sink.reset();
      sink.behaviour.beforeAnswer = undefined;
      const next = await runSync(ctx, syncId);
      expect(next).toMatchObject({ status: "succeeded", fullResyncReason: "first run" });
      expect(opsByKey(sink.received)).toEqual(ALL);
    } finally {
      await sink.close();
    }
  });

  it("cancels a paused run (dropping its tables) and a queued one; the committed snapshot is untouched", async () => {
    const ctx = await workspaceWithRole(s);
    let runId = "";
    const sink = await startSink({
      beforeAnswer: async (_batch, index) => {
        if (index === 0 && runId) await pauseRun(ctx, { runId });
      },
    });
    try {
      const { syncId } = await fixture(ctx, sink.url);
      await runSync(ctx, syncId); // committed: 10 rows
      const t = (await s.db.sync.findUniqueOrThrow({ where: { id: syncId }, include: { model: true } })).model.query;
      await warehouse.sql(`update ${t.replace("select * from ", "")} set plan = 'pro'`);
      sink.reset();
      runId = (await triggerRun(ctx, { syncId, trigger: "manual" })).run.id;
      await execute(s, runId);
      expect((await getRun(ctx, { runId })).status).toBe("paused");
      expect(await warehouse.sluiceTables()).toContainEqual(expect.stringContaining(runId.toLowerCase()));
      const cancelled = await cancelRun(ctx, { runId });
      expect(cancelled.status).toBe("cancelled");
      expect(await warehouse.sluiceTables()).not.toContainEqual(expect.stringContaining(runId.toLowerCase()));

      runId = "";
      const queued = (await triggerRun(ctx, { syncId, trigger: "manual" })).run.id;
      expect((await cancelRun(ctx, { runId: queued })).status).toBe("cancelled");
      sink.reset();
      await runSync(ctx, syncId);
      expect(opsByKey(sink.received)).toEqual(ALL.map((k) => k.replace("insert", "update")).sort());
    } finally {
      await sink.close();
    }
  });
});

describe("shutdown (SIGTERM)", () => {
  it("finishes the in-flight batch, checkpoints, releases the lease with the status unchanged; another worker finishes", async () => {
    const ctx = await workspaceWithRole(s);
    const shutdown = new AbortController();
    const sink = await startSink({
      beforeAnswer: (_batch, index) => {
        if (index === 1) shutdown.abort();
      },
    });
    try {
      const { syncId } = await fixture(ctx, sink.url);
      const { run } = await triggerRun(ctx, { syncId, trigger: "manual" });
      await execute(s, run.id, { signal: shutdown.signal });
      const row = await s.db.syncRun.findUniqueOrThrow({ where: { id: run.id } });
      expect(row).toMatchObject({ status: "delivering", delivered: 4, leaseOwner: null, checkpoint: { batches: 2 } });
      expect(await jobCount(run.id)).toBe(1); // re-enqueued for another worker
      await execute(s, run.id);
      expect((await getRun(ctx, { runId: run.id })).status).toBe("succeeded");
      expect(opsByKey(sink.received)).toEqual(ALL);
    } finally {
      await sink.close();
    }
  });
});

describe("no overlap", () => {
  it("two triggers at once make one run", async () => {
    const ctx = await workspaceWithRole(s);
    const sink = await startSink();
    try {
      const { syncId } = await fixture(ctx, sink.url);
      const results = await Promise.all(Array.from({ length: 5 }, () => triggerRun(ctx, { syncId, trigger: "manual" })));
      expect(results.filter((r) => r.created)).toHaveLength(1);
      expect(new Set(results.map((r) => r.run.id)).size).toBe(1);
      const runs = await listRuns(ctx, { syncId });
      expect(runs.items).toHaveLength(1);
      // A full resync asked while the run is still queued applies to it.
      expect(await triggerRun(ctx, { syncId, trigger: "manual", fullResync: true })).toMatchObject({
        created: false,
        run: { fullResync: true },
      });
    } finally {
      await sink.close();
    }
  });

  it("two workers never work on one run at once: the lease admits one", async () => {
    const ctx = await workspaceWithRole(s);
    const sink = await startSink();
    try {
      const { syncId } = await fixture(ctx, sink.url);
      const { run } = await triggerRun(ctx, { syncId, trigger: "manual" });
      expect(await takeLease(s.db, { runId: run.id, owner: "other-worker", ttlMs: 60_000 })).toBe(true);
      await executeRun(s, { runId: run.id, workerId: "second" });
      expect((await getRun(ctx, { runId: run.id })).status).toBe("queued");
      expect(sink.received).toEqual([]);
      await Promise.all([execute(s, run.id, { leaseTtlMs: 60_000 }), execute(s, run.id)]);
      expect((await getRun(ctx, { runId: run.id })).status).toBe("queued"); // still held by other-worker
      await s.db.syncRun.update({ where: { id: run.id }, data: { leaseOwner: null, leaseExpiresAt: null } });
      await Promise.all([execute(s, run.id), execute(s, run.id)]);
      expect((await getRun(ctx, { runId: run.id })).status).toBe("succeeded");
      expect(opsByKey(sink.received)).toEqual(ALL);
    } finally {
      await sink.close();
    }
  });
});
