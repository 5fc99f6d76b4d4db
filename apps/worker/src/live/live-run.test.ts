// The live view of real runs: the snapshot a browser gets on connect, and a sync executed end to end by the
// engine with the live observer (a Postgres warehouse, the webhook destination, a local receiver).
import { ensureQueue } from "@sluice/core/queue/ensure-queue";
import { getRun } from "@sluice/core/runs/get-run";
import { createSyncFixture, execute, Warehouse } from "@sluice/core/runs/testing/fixtures";
import { startSink } from "@sluice/core/runs/testing/sink";
import { triggerRun } from "@sluice/core/runs/trigger-run";
import { testServices, workspaceWithRole } from "@sluice/core/testing/fixtures";
import { testDatabaseUrl } from "@sluice/db/testing";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createTestSync } from "../test-fixtures";
import {
  connectClient,
  connected,
  type RecordingClient,
  signLiveToken,
  startTestLiveServer,
  type TestLiveServer,
} from "./live-testing";

const s = testServices({ allowPrivateDestinations: true });
let server: TestLiveServer;
let warehouse: Warehouse;
const clients: RecordingClient[] = [];

beforeAll(async () => {
  await ensureQueue(testDatabaseUrl());
  warehouse = await Warehouse.create("live");
  server = await startTestLiveServer({ db: s.db, publisher: { progressIntervalMs: 50 } });
});
afterEach(() => {
  for (const c of clients.splice(0)) c.close();
});
afterAll(async () => {
  await server?.close();
  await warehouse?.close();
});

async function watch(sync: { workspaceId: string; syncId: string }): Promise<RecordingClient> {
  const c = connectClient(server.url, await signLiveToken(sync));
  clients.push(c);
  await connected(c.socket);
  return c;
}

describe("live view of runs", () => {
  it("sends the sync's latest run with its counts on connect, and again on live:join", async () => {
    const sync = await createTestSync(s, { schedule: { type: "manual" }, nextRunAt: null });
    const base = { workspaceId: sync.workspaceId, syncId: sync.syncId, trigger: "manual" as const };
    await s.db.syncRun.create({
      data: { ...base, status: "succeeded", planned: 3, delivered: 3, createdAt: new Date(Date.now() - 60_000) },
    });
    const startedAt = new Date(Date.now() - 5_000);
    const latest = await s.db.syncRun.create({
      data: {
        ...base,
        status: "delivering",
        planned: 40,
        added: 30,
        changed: 10,
        delivered: 12,
        rejected: 2,
        failed: 1,
        startedAt,
      },
    });

    const browser = await watch(sync);
    const snapshot = await browser.waitFor("run:snapshot");
    expect(snapshot).toMatchObject({
      syncId: sync.syncId,
      events: [],
      run: {
        runId: latest.id,
        status: "delivering",
        counts: { planned: 40, added: 30, changed: 10, removed: 0, delivered: 12, rejected: 2, failed: 1 },
        startedAt: startedAt.toISOString(),
        finishedAt: null,
        // No worker measured this run here.
        recordsPerSecond: null,
      },
    });

    await s.db.syncRun.update({ where: { id: latest.id }, data: { delivered: 20 } });
    expect(await browser.socket.emitWithAck("live:join", { syncId: sync.syncId })).toEqual({ ok: true });
    const again = await browser.waitFor("run:snapshot", (x) => x.run?.counts.delivered === 20);
    expect(again.run?.runId).toBe(latest.id);
  });

  it("streams a real run: every status change, sampled events, and progress whose final counts are the run's", async () => {
    const ctx = await workspaceWithRole(s);
    const table = `t_${Math.random().toString(36).slice(2, 8)}`;
    await warehouse.sql(`create table public.${table} (id int, email text, plan text, score text)`);
    await warehouse.sql(
      `insert into public.${table} select g, 'u' || g || '@example.com', 'pro', g::text from generate_series(1, 25) g`,
    );
    // Record 7 is refused by the receiver: a rejected outcome must show up live too.
    const sink = await startSink({
      answer: (r) => (r.key.id === 7 ? { status: "rejected", reason: "bad email" } : { status: "ok" }),
      // Slow enough that delivery outlasts the publisher's progress interval (500 ms), whatever the machine.
      beforeAnswer: () => new Promise((resolve) => setTimeout(resolve, 150)),
    });
    try {
      const setup = await createSyncFixture(ctx, {
        warehouseUrl: warehouse.url,
        sinkUrl: sink.url,
        query: `select * from public.${table}`,
        primaryKey: ["id"],
        mode: "upsert",
        batchSize: 4,
      });
      const browser = await watch({ workspaceId: ctx.workspaceId, syncId: setup.syncId });
      expect((await browser.waitFor("run:snapshot")).run).toBeNull();

      const { run } = await triggerRun(ctx, { syncId: setup.syncId, trigger: "manual" });
      await execute(s, run.id, { observer: server.live.observer });
      await server.live.publisher.idle();
      const final = await getRun(ctx, { runId: run.id });
      expect(final.status).toBe("succeeded");

      const last = await browser.waitFor("run:progress", (p) => p.status === "succeeded");
      expect(last.counts).toEqual(final.counts);
      expect(last.counts).toMatchObject({ planned: 25, delivered: 24, rejected: 1 });
      expect(last).toMatchObject({ runId: run.id, syncId: setup.syncId, finishedAt: final.finishedAt, droppedEvents: 0 });

      expect(browser.of("run:status").map((x) => `${x.from}>${x.to}`)).toEqual([
        "queued>planning",
        "planning>snapshotting",
        "snapshotting>diffing",
        "diffing>delivering",
        "delivering>committing",
        "committing>succeeded",
      ]);
      // Progress never steps back: delivered only grows, and the status follows the run's order.
      const progress = browser.of("run:progress").filter((p) => p.runId === run.id);
      const delivered = progress.map((p) => p.counts.delivered);
      expect(delivered).toEqual([...delivered].sort((a, b) => a - b));
      expect(progress.some((p) => p.status === "delivering" && p.counts.delivered > 0)).toBe(true);

      // 7 batches of at most 4 records, each sampling up to 5: every record is sampled here.
      const events = browser.of("run:event");
      expect(events).toHaveLength(25);
      const rejected = events.find((e) => e.key.id === 7);
      expect(rejected).toMatchObject({
        outcome: "rejected",
        response: { httpStatus: 200, status: "rejected", reason: "bad email" },
        payload: { op: "insert", key: { id: 7 }, data: { email: "u7@example.com" } },
      });
      expect(new Set(events.map((e) => e.id)).size).toBe(25);

      // A page reloaded after the run shows it at once, with the events this worker kept.
      const reloaded = await watch({ workspaceId: ctx.workspaceId, syncId: setup.syncId });
      const snapshot = await reloaded.waitFor("run:snapshot");
      expect(snapshot.run).toMatchObject({ runId: run.id, status: "succeeded", counts: final.counts });
      expect(snapshot.events.map((e) => e.id)).toEqual(events.map((e) => e.id));
    } finally {
      await sink.close();
    }
  });
});
