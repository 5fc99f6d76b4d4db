// The run router through createCaller, on runs executed for real (warehouse → webhook sink): the list with
// durations and counters, a run's timeline, failed/rejected records by reason, the chart, and retry —
// with roles and workspace isolation.
import "@/test/setup-env";
import type { WorkspaceContext } from "@sluice/core/context";
import { ensureQueue } from "@sluice/core/queue/ensure-queue";
import { createSyncFixture, runSync, Warehouse } from "@sluice/core/runs/testing/fixtures";
import { type Sink, startSink } from "@sluice/core/runs/testing/sink";
import { testDatabaseUrl } from "@sluice/db/testing";
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { services } from "@/server/services";
import { addUserWithRole, createWorkspaceWithOwner } from "@/test/fixtures";
import { createCaller } from "../root";

let warehouse: Warehouse;
let sink: Sink;

beforeAll(async () => {
  await ensureQueue(testDatabaseUrl());
  warehouse = await Warehouse.create("run_router");
  sink = await startSink({
    answer: (r) => {
      const id = Number(r.key.id);
      if (id <= 3) return { status: "rejected", reason: "email is not valid" };
      if (id === 4) return { status: "retry", reason: "server busy" };
      return { status: "ok" };
    },
  });
  await warehouse.sql(`
    create table public.people (id int, email text, plan text, score text);
    insert into public.people select g, 'p' || g || '@x', 'free', g::text from generate_series(1, 10) g;
  `);
});
afterAll(async () => {
  await sink.close();
  await warehouse.close();
});

const svc = () => ({ ...services(), allowPrivateDestinations: true });
const callerFor = (user: { id: string; name: string; email: string }) => createCaller({ services: svc(), user });

async function trpcError(promise: Promise<unknown>): Promise<TRPCError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TRPCError);
  return error as TRPCError;
}

async function workspaceWithRuns() {
  const s = svc();
  const { ctx } = await createWorkspaceWithOwner(s);
  const { syncId } = await createSyncFixture(ctx as WorkspaceContext, {
    warehouseUrl: warehouse.url,
    sinkUrl: sink.url,
    query: "select * from public.people",
    primaryKey: ["id"],
    mode: "upsert",
  });
  const first = await runSync(ctx, syncId);
  const second = await runSync(ctx, syncId);
  const as = async (role: "admin" | "editor" | "viewer") => callerFor(await addUserWithRole(s, ctx, role));
  return { slug: ctx.workspaceSlug, syncId, runs: [first, second], as };
}

describe("tRPC run router", () => {
  it("lists runs newest first with trigger, start, duration and every counter", async () => {
    const { slug, syncId, runs, as } = await workspaceWithRuns();
    const viewer = await as("viewer");
    const page = await viewer.run.list({ workspace: slug, syncId, limit: 1 });
    expect(page.items).toHaveLength(1);
    expect(page.items[0]).toMatchObject({
      id: runs[1]?.id,
      trigger: "manual",
      status: "succeeded",
      counts: { planned: 1, added: 1, changed: 0, removed: 0, delivered: 0, rejected: 0, failed: 1 },
    });
    const item = page.items[0];
    expect(item?.durationMs).toBe(Date.parse(item?.finishedAt ?? "") - Date.parse(item?.startedAt ?? ""));
    const rest = await viewer.run.list({ workspace: slug, syncId, cursor: page.nextCursor });
    expect(rest.items.map((r) => r.id)).toEqual([runs[0]?.id]);
    expect(rest.items[0]?.counts).toEqual({
      planned: 10,
      added: 10,
      changed: 0,
      removed: 0,
      delivered: 6,
      rejected: 3,
      failed: 1,
    });
  });

  it("shows a run's timeline with time spent in each state", async () => {
    const { slug, runs, as } = await workspaceWithRuns();
    const detail = await (await as("viewer")).run.detail({ workspace: slug, runId: runs[0]?.id ?? "" });
    expect(detail.steps.map((s) => s.status)).toEqual([
      "queued",
      "planning",
      "snapshotting",
      "diffing",
      "delivering",
      "committing",
      "succeeded",
    ]);
    expect(detail.timeline).toHaveLength(7);
    expect(detail.timeline[0]).toMatchObject({ from: null, to: "queued" });
    expect(detail.steps.slice(0, -1).every((s) => typeof s.durationMs === "number" && s.leftAt !== null)).toBe(true);
    expect(detail).toMatchObject({
      error: null,
      fullResync: true,
      fullResyncReason: "first run",
      outcomes: { rejected: 3, failed: 1 },
    });
    expect(detail.durationMs).toBeGreaterThanOrEqual(0);
  });

  it("groups failed and rejected records by reason with examples of what was sent and answered", async () => {
    const { slug, runs, as } = await workspaceWithRuns();
    const viewer = await as("viewer");
    const groups = await viewer.run.outcomeGroups({ workspace: slug, runId: runs[0]?.id ?? "" });
    expect(groups.totals).toEqual({ rejected: 3, failed: 1 });
    expect(groups.groups.map((g) => [g.status, g.reason, g.count, g.examples.length, g.nextCursor])).toEqual([
      ["rejected", "email is not valid", 3, 3, null],
      // The delivery kit may add how many attempts it made within the run.
      ["failed", expect.stringMatching(/^server busy/), 1, 1, null],
    ]);
    expect(groups.groups[0]?.examples[0]).toMatchObject({
      key: { id: 1 },
      payload: { key: { id: 1 }, data: { email: "p1@x" } },
      response: { httpStatus: 200, status: "rejected", reason: "email is not valid" },
    });
    const onlyFailed = await viewer.run.outcomeGroups({ workspace: slug, runId: runs[0]?.id ?? "", status: "failed" });
    expect(onlyFailed.groups.map((g) => [g.status, g.count])).toEqual([["failed", 1]]);
  });

  it("gives the chart's points oldest first", async () => {
    const { slug, syncId, runs, as } = await workspaceWithRuns();
    const history = await (await as("viewer")).run.history({ workspace: slug, syncId });
    expect(
      history.points.map((p) => [p.runId, p.status, p.added, p.changed, p.removed, p.delivered, p.rejected, p.failed]),
    ).toEqual([
      [runs[0]?.id, "succeeded", 10, 0, 0, 6, 3, 1],
      // The failed record of a row never delivered comes back as added.
      [runs[1]?.id, "succeeded", 1, 0, 0, 0, 0, 1],
    ]);
    expect(history.points[0]?.startedAt).toBe(runs[0]?.startedAt);
    expect((await trpcError((await as("viewer")).run.history({ workspace: slug, syncId, limit: 500 }))).code).toBe("BAD_REQUEST");
  });

  it("retries failed records by starting a run (editors), saying how many the last run left", async () => {
    const { slug, syncId, as } = await workspaceWithRuns();
    const viewer = await as("viewer");
    expect((await trpcError(viewer.run.retryFailed({ workspace: slug, syncId }))).code).toBe("FORBIDDEN");
    const retry = await (await as("editor")).run.retryFailed({ workspace: slug, syncId });
    expect(retry).toMatchObject({ created: true, failedRecords: 1, run: { status: "queued", trigger: "retry" } });
    expect(retry.message).toBe(
      "Started a run. It retries the 1 failed record the last run left, with anything that changed since.",
    );
    expect((await viewer.run.list({ workspace: slug, syncId })).items[0]?.id).toBe(retry.run.id);
  });

  it("never shows another workspace's runs (NOT_FOUND)", async () => {
    const a = await workspaceWithRuns();
    const b = await workspaceWithRuns();
    const ownerB = await b.as("admin");
    const runId = a.runs[0]?.id ?? "";
    expect((await trpcError(ownerB.run.list({ workspace: b.slug, syncId: a.syncId }))).code).toBe("NOT_FOUND");
    expect((await trpcError(ownerB.run.detail({ workspace: b.slug, runId }))).code).toBe("NOT_FOUND");
    expect((await trpcError(ownerB.run.outcomeGroups({ workspace: b.slug, runId }))).code).toBe("NOT_FOUND");
    expect((await trpcError(ownerB.run.history({ workspace: b.slug, syncId: a.syncId }))).code).toBe("NOT_FOUND");
    expect((await trpcError(ownerB.run.retryFailed({ workspace: b.slug, syncId: a.syncId }))).code).toBe("NOT_FOUND");
    expect((await trpcError(ownerB.run.list({ workspace: b.slug, syncId: b.syncId, cursor: runId }))).code).toBe("NOT_FOUND");
  });
});
