// Several batches in flight (the webhook's concurrency): a sliding window whose checkpoint only ever covers
// the unbroken run of finished batches, so a stop or a crash re-sends at most the window.
import { testDatabaseUrl } from "@sluice/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureQueue } from "../queue/ensure-queue";
import { testServices, workspaceWithRole } from "../testing/fixtures";
import { getRun } from "./get-run";
import { pauseRun } from "./pause-run";
import { resumeRun } from "./resume-run";
import { createSyncFixture, execute, opsByKey, Warehouse } from "./testing/fixtures";
import { startSink } from "./testing/sink";
import { triggerRun } from "./trigger-run";

const s = testServices({ allowPrivateDestinations: true });
let warehouse: Warehouse;

beforeAll(async () => {
  await ensureQueue(testDatabaseUrl());
  warehouse = await Warehouse.create("window");
});
afterAll(async () => {
  await warehouse.close();
});

const ROWS = 10;
const ALL = Array.from({ length: ROWS }, (_, i) => `insert:${i + 1}`).sort();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function twoInFlight(ctx: Awaited<ReturnType<typeof workspaceWithRole>>, sinkUrl: string) {
  const table = `t_${Math.random().toString(36).slice(2, 8)}`;
  await warehouse.sql(`create table public.${table} (id int, email text, plan text, score text)`);
  await warehouse.sql(
    `insert into public.${table} select g, 'u' || g || '@x', 'free', g::text from generate_series(1, ${ROWS}) g`,
  );
  return createSyncFixture(ctx, {
    warehouseUrl: warehouse.url,
    sinkUrl,
    query: `select * from public.${table}`,
    primaryKey: ["id"],
    mode: "upsert",
    batchSize: 2,
    concurrency: 2,
  });
}

describe("delivery window (two batches in flight)", () => {
  it("keeps two batches in flight and never checkpoints a later batch before an earlier one", async () => {
    const ctx = await workspaceWithRole(s);
    let runId = "";
    let secondAnswered: () => void = () => {};
    const second = new Promise<void>((resolve) => {
      secondAnswered = resolve;
    });
    const seenWhileFirstHeld: { received: number; delivered: number; checkpoint: unknown }[] = [];
    const sink = await startSink({
      beforeAnswer: async (_batch, index) => {
        if (index === 1) setTimeout(secondAnswered, 0); // answered right after this returns
        if (index !== 0) return;
        // Hold the first batch until the second has been answered, then give the engine time to (wrongly)
        // checkpoint the second or send a third.
        await second;
        await sleep(300);
        const row = await s.db.syncRun.findUniqueOrThrow({ where: { id: runId } });
        seenWhileFirstHeld.push({ received: sink.batches.length, delivered: row.delivered, checkpoint: row.checkpoint });
      },
    });
    try {
      const { syncId } = await twoInFlight(ctx, sink.url);
      runId = (await triggerRun(ctx, { syncId, trigger: "manual" })).run.id;
      await execute(s, runId);
      // While batch 1 was held: batch 2 was answered, nothing was checkpointed, and no third batch was sent.
      expect(seenWhileFirstHeld).toEqual([{ received: 2, delivered: 0, checkpoint: null }]);
      const run = await getRun(ctx, { runId });
      expect(run).toMatchObject({ status: "succeeded", counts: { delivered: ROWS } });
      expect(opsByKey(sink.received)).toEqual(ALL);
      expect(sink.batches.map((b) => b.batchId)).toEqual(Array.from({ length: 5 }, (_, i) => `${runId}-${i + 1}`));
      const row = await s.db.syncRun.findUniqueOrThrow({ where: { id: runId } });
      expect(row.checkpoint).toMatchObject({ batches: 5 });
    } finally {
      await sink.close();
    }
  });

  it("pauses after the batches in flight, checkpointed in order, and resumes without re-sending any", async () => {
    const ctx = await workspaceWithRole(s);
    let runId = "";
    const sink = await startSink({
      beforeAnswer: async (_batch, index) => {
        if (index === 0) await pauseRun(ctx, { runId });
      },
    });
    try {
      const { syncId } = await twoInFlight(ctx, sink.url);
      runId = (await triggerRun(ctx, { syncId, trigger: "manual" })).run.id;
      await execute(s, runId);
      const paused = await getRun(ctx, { runId });
      // The pause is seen at the first checkpoint; the batch already in flight with it finishes and is
      // checkpointed too, and nothing new starts.
      expect(paused.status).toBe("paused");
      expect(paused.counts.delivered).toBe(sink.received.length);
      expect(sink.batches.length).toBeLessThanOrEqual(3);
      const row = await s.db.syncRun.findUniqueOrThrow({ where: { id: runId } });
      expect(row.checkpoint).toMatchObject({ batches: sink.batches.length });

      await resumeRun(ctx, { runId });
      await execute(s, runId);
      expect(await getRun(ctx, { runId })).toMatchObject({ status: "succeeded", counts: { delivered: ROWS } });
      expect(opsByKey(sink.received)).toEqual(ALL); // each record exactly once
    } finally {
      await sink.close();
    }
  });

  it("a fatal answer to one batch fails the run after checkpointing the batches finished before it", async () => {
    const ctx = await workspaceWithRole(s);
    let runId = "";
    const sink = await startSink({
      status: (batch) => (batch.batchId === `${runId}-2` ? 401 : undefined),
      beforeAnswer: async (_batch, index) => {
        if (index === 0) await sleep(200); // batch 1 answers after batch 2's refusal
      },
    });
    try {
      const { syncId } = await twoInFlight(ctx, sink.url);
      runId = (await triggerRun(ctx, { syncId, trigger: "manual" })).run.id;
      await execute(s, runId);
      const run = await getRun(ctx, { runId });
      expect(run.status).toBe("failed");
      expect(run.error).toMatch(/HTTP 401/);
      expect(run.counts.delivered).toBe(2); // batch 1, finished before the refused batch 2
      expect(sink.batches).toHaveLength(2);
    } finally {
      await sink.close();
    }
  });
});
