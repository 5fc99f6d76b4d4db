// The runs list with durations and the chart's points, from real runs of a real sync.
import { testDatabaseUrl } from "@sluice/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureQueue } from "../queue/ensure-queue";
import { asRole, errorCode, testServices, workspaceWithRole } from "../testing/fixtures";
import { getRunHistory, listRunPage } from "./run-history";
import { createSyncFixture, runSync, Warehouse } from "./testing/fixtures";
import { type Sink, startSink } from "./testing/sink";

const s = testServices({ allowPrivateDestinations: true });
let warehouse: Warehouse;
let sink: Sink;

beforeAll(async () => {
  await ensureQueue(testDatabaseUrl());
  warehouse = await Warehouse.create("run_history");
  sink = await startSink({ answer: (r) => (r.key.id === 4 ? { status: "retry", reason: "busy" } : { status: "ok" }) });
});
afterAll(async () => {
  await sink.close();
  await warehouse.close();
});

async function syncWithRuns() {
  const ctx = await workspaceWithRole(s, "admin");
  const table = `t_${Math.random().toString(36).slice(2, 8)}`;
  await warehouse.sql(`create table public.${table} (id int, email text, plan text, score text)`);
  await warehouse.sql(
    `insert into public.${table} values (1,'a@x','free','1'),(2,'b@x','free','2'),(3,'c@x','free','3'),(4,'d@x','free','4')`,
  );
  const { syncId } = await createSyncFixture(ctx, {
    warehouseUrl: warehouse.url,
    sinkUrl: sink.url,
    query: `select * from public.${table}`,
    primaryKey: ["id"],
    mode: "mirror",
  });
  const first = await runSync(ctx, syncId);
  await warehouse.sql(`update public.${table} set plan = 'pro' where id = 1; delete from public.${table} where id = 3`);
  const second = await runSync(ctx, syncId);
  const third = await runSync(ctx, syncId);
  return { ctx, syncId, runs: [first, second, third] };
}

describe("run history", () => {
  it("gives chart points oldest first with every counter, the status and the duration", async () => {
    const { ctx, syncId, runs } = await syncWithRuns();
    const history = await getRunHistory(await asRole(ctx, "viewer"), { syncId });
    expect(history.syncId).toBe(syncId);
    expect(history.points.map((p) => p.runId)).toEqual(runs.map((r) => r.id));
    expect(history.points.map((p) => [p.added, p.changed, p.removed, p.delivered, p.rejected, p.failed])).toEqual([
      [4, 0, 0, 3, 0, 1],
      [1, 1, 1, 2, 0, 1], // row 4 (failed) comes back as added; 1 changed; 3 removed
      [1, 0, 0, 0, 0, 1],
    ]);
    const first = history.points[0];
    expect(first).toMatchObject({ status: "succeeded", trigger: "manual", fullResync: true, planned: 4 });
    expect(first?.durationMs).toBe(Date.parse(first?.finishedAt ?? "") - Date.parse(first?.startedAt ?? ""));
    const lastTwo = await getRunHistory(ctx, { syncId, limit: 2 });
    expect(lastTwo.points.map((p) => p.runId)).toEqual([runs[1]?.id, runs[2]?.id]);
    expect(await errorCode(getRunHistory(ctx, { syncId, limit: 201 }))).toBe("BAD_REQUEST");
    expect(await errorCode(getRunHistory(await workspaceWithRole(s, "owner"), { syncId }))).toBe("NOT_FOUND");
  });

  it("lists runs newest first, a page at a time, each with its duration", async () => {
    const { ctx, syncId, runs } = await syncWithRuns();
    const page1 = await listRunPage(ctx, { syncId, limit: 2 });
    expect(page1.items.map((r) => r.id)).toEqual([runs[2]?.id, runs[1]?.id]);
    expect(page1.items[0]).toMatchObject({ trigger: "manual", status: "succeeded", counts: { failed: 1 } });
    for (const r of page1.items) expect(r.durationMs).toBe(Date.parse(r.finishedAt ?? "") - Date.parse(r.startedAt ?? ""));
    const page2 = await listRunPage(ctx, { syncId, limit: 2, cursor: page1.nextCursor });
    expect(page2.items.map((r) => r.id)).toEqual([runs[0]?.id]);
    expect(page2.nextCursor).toBeUndefined();
    // A cursor from another sync is not this list's.
    const other = await syncWithRuns();
    expect(await errorCode(listRunPage(other.ctx, { syncId: other.syncId, cursor: runs[0]?.id }))).toBe("NOT_FOUND");
  });
});
