// Failed and rejected records grouped by reason from a real run (endpoint rejections, retryable failures,
// quarantined keys), paging within a group, and "retry failed" starting a run that retries them.
import { testDatabaseUrl } from "@sluice/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureQueue } from "../queue/ensure-queue";
import { asRole, errorCode, testServices, workspaceWithRole } from "../testing/fixtures";
import { listRunOutcomeGroups, retryFailedRecords } from "./list-run-outcome-groups";
import { createSyncFixture, execute, runSync, Warehouse } from "./testing/fixtures";
import { type Sink, startSink } from "./testing/sink";

const s = testServices({ allowPrivateDestinations: true });
let warehouse: Warehouse;
let sink: Sink;
let failing = true;

beforeAll(async () => {
  await ensureQueue(testDatabaseUrl());
  warehouse = await Warehouse.create("outcome_groups");
  sink = await startSink({
    answer: (r) => {
      const id = Number(r.key.id);
      if (id <= 25) return { status: "rejected", reason: "invalid email" };
      if (id <= 28 && failing) return { status: "retry", reason: "busy" };
      return { status: "ok" };
    },
  });
  await warehouse.sql(`
    create table public.people (id int, email text, plan text, score text);
    insert into public.people select g, 'p' || g || '@x', 'free', g::text from generate_series(1, 30) g;
    insert into public.people values (99, 'a@x', 'free', '1'), (99, 'b@x', 'free', '1');
  `);
});
afterAll(async () => {
  await sink.close();
  await warehouse.close();
});

async function failedRun() {
  const ctx = await workspaceWithRole(s, "admin");
  const { syncId } = await createSyncFixture(ctx, {
    warehouseUrl: warehouse.url,
    sinkUrl: sink.url,
    query: "select * from public.people",
    primaryKey: ["id"],
    mode: "upsert",
    batchSize: 7,
  });
  failing = true;
  const run = await runSync(ctx, syncId);
  return { ctx, syncId, run };
}

describe("listRunOutcomeGroups", () => {
  it("groups a run's records by reason, largest first, with examples and their payload and answer", async () => {
    const { ctx, run } = await failedRun();
    const viewer = await asRole(ctx, "viewer");
    const result = await listRunOutcomeGroups(viewer, { runId: run.id });
    expect(result.totals).toEqual({ rejected: 26, failed: 3 });
    expect(result.groupCount).toBe(3);
    expect(result.groups.map((g) => [g.status, g.reason, g.count, g.examples.length, g.nextCursor !== null])).toEqual([
      ["rejected", "invalid email", 25, 20, true],
      // The delivery kit may add how many attempts it made within the run.
      ["failed", expect.stringMatching(/^busy/), 3, 3, false],
      ["rejected", "duplicate primary key (2 rows)", 1, 1, false],
    ]);
    const example = result.groups[1]?.examples[0];
    expect(example).toMatchObject({
      key: { id: 26 },
      payload: { op: "insert", key: { id: 26 }, data: { email: "p26@x", traits: { plan: "free", score: 26 } } },
      response: { httpStatus: 200, status: "failed", reason: expect.stringMatching(/^busy/) },
    });
    expect(result.groups[2]?.examples[0]).toMatchObject({ key: { id: 99 }, payload: null });
  });

  it("pages within a group and filters by status", async () => {
    const { ctx, run } = await failedRun();
    const first = await listRunOutcomeGroups(ctx, { runId: run.id });
    const group = first.groups[0];
    const next = await listRunOutcomeGroups(ctx, {
      runId: run.id,
      status: "rejected",
      reason: "invalid email",
      cursor: group?.nextCursor ?? undefined,
    });
    expect(next.groups).toHaveLength(1);
    expect(next.groups[0]).toMatchObject({ reason: "invalid email", count: 25, nextCursor: null });
    const keys = [...(group?.examples ?? []), ...(next.groups[0]?.examples ?? [])].map((e) => (e.key as { id: number }).id);
    expect(keys.sort((a, b) => a - b)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));

    const failed = await listRunOutcomeGroups(ctx, { runId: run.id, status: "failed" });
    expect(failed.groups.map((g) => [g.status, g.count])).toEqual([["failed", 3]]);
    expect(failed).toMatchObject({ groupCount: 1, totals: { rejected: 26, failed: 3 } });
    const invalid = await listRunOutcomeGroups(ctx, { runId: run.id, cursor: "5" }).catch((e) => e);
    expect(invalid.fieldErrors).toEqual({ reason: ["a cursor pages within one group"] });
    expect(await errorCode(listRunOutcomeGroups(await workspaceWithRole(s, "owner"), { runId: run.id }))).toBe("NOT_FOUND");
  });
});

describe("retryFailedRecords", () => {
  it("starts a run that sends the failed records again, saying how many", async () => {
    const { ctx, syncId, run } = await failedRun();
    failing = false;
    sink.reset();
    const editor = await asRole(ctx, "editor");
    const retry = await retryFailedRecords(editor, { syncId });
    expect(retry).toMatchObject({
      created: true,
      failedRecords: 3,
      lastRun: { id: run.id, status: "succeeded", failedRecords: 3 },
      run: { status: "queued", trigger: "retry" },
      message: "Started a run. It retries the 3 failed records the last run left, with anything that changed since.",
    });
    // Asking again while it is queued returns the same run.
    const again = await retryFailedRecords(editor, { syncId });
    expect(again).toMatchObject({ created: false, run: { id: retry.run.id } });
    expect(again.message).toBe("A run is already under way (queued); it retries the 3 failed records the last run left.");

    await execute(ctx, retry.run.id);
    expect(sink.received.map((r) => Number(r.key.id)).sort()).toEqual([26, 27, 28]);
    const after = await retryFailedRecords(editor, { syncId });
    expect(after.message).toBe("Started a run. The last run left no failed records, so this run only sends what changed since.");

    expect(await errorCode(retryFailedRecords(await asRole(ctx, "viewer"), { syncId }))).toBe("FORBIDDEN");
    expect(await errorCode(retryFailedRecords(await workspaceWithRole(s, "owner"), { syncId }))).toBe("NOT_FOUND");
  });
});
