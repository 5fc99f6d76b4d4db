// A run's detail from a real run: its steps from the persisted transitions with time spent in each, its
// duration and outcome counts; and the step arithmetic for paused, running and queued runs.
import type { RunView } from "@sluice/contracts/run-view";
import { testDatabaseUrl } from "@sluice/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureQueue } from "../queue/ensure-queue";
import { errorCode, testServices, workspaceWithRole } from "../testing/fixtures";
import { getRunDetail, runDurationMs, runSteps } from "./get-run-detail";
import { createSyncFixture, runSync, Warehouse } from "./testing/fixtures";
import { type Sink, startSink } from "./testing/sink";
import { triggerRun } from "./trigger-run";

const s = testServices({ allowPrivateDestinations: true });
let warehouse: Warehouse;
let sink: Sink;

beforeAll(async () => {
  await ensureQueue(testDatabaseUrl());
  warehouse = await Warehouse.create("run_detail");
  sink = await startSink({
    answer: (r) => (r.key.id === 2 ? { status: "rejected", reason: "invalid email" } : { status: "ok" }),
  });
  await warehouse.sql(`
    create table public.people (id int, email text, plan text, score text);
    insert into public.people values (1, 'a@x', 'free', '1'), (2, 'b@x', 'free', '2'), (3, 'c@x', 'pro', 'x');
  `);
});
afterAll(async () => {
  await sink.close();
  await warehouse.close();
});

describe("getRunDetail", () => {
  it("shows a finished run's steps, durations, error and outcomes", async () => {
    const ctx = await workspaceWithRole(s, "admin");
    const { syncId } = await createSyncFixture(ctx, {
      warehouseUrl: warehouse.url,
      sinkUrl: sink.url,
      query: "select * from public.people",
      primaryKey: ["id"],
      mode: "upsert",
    });
    const run = await runSync(ctx, syncId);
    const detail = await getRunDetail(ctx, { runId: run.id });
    expect(detail).toMatchObject({ id: run.id, status: "succeeded", error: null, counts: { delivered: 1, rejected: 2 } });
    // Row 3's score "x" fails the number cast (rejected before sending); row 2 is rejected by the endpoint.
    expect(detail.outcomes).toEqual({ rejected: 2, failed: 0 });
    expect(detail.steps.map((x) => x.status)).toEqual([
      "queued",
      "planning",
      "snapshotting",
      "diffing",
      "delivering",
      "committing",
      "succeeded",
    ]);
    expect(detail.steps[0]).toMatchObject({ from: null, detail: "triggered (manual)", current: false });
    detail.steps.slice(0, -1).forEach((step, i) => {
      expect(step.leftAt).toBe(detail.steps[i + 1]?.enteredAt);
      expect(step.durationMs).toBe(Date.parse(step.leftAt ?? "") - Date.parse(step.enteredAt));
    });
    expect(detail.steps.at(-1)).toMatchObject({ status: "succeeded", leftAt: null, durationMs: null, current: false });
    expect(detail.durationMs).toBe(Date.parse(run.finishedAt ?? "") - Date.parse(run.startedAt ?? ""));
    expect(detail.waitedMs).toBe(Date.parse(run.startedAt ?? "") - Date.parse(run.createdAt));
    expect(detail.timeInState.map((t) => t.status)).toEqual([
      "queued",
      "planning",
      "snapshotting",
      "diffing",
      "delivering",
      "committing",
    ]);

    const stranger = await workspaceWithRole(s, "owner");
    expect(await errorCode(getRunDetail(stranger, { runId: run.id }))).toBe("NOT_FOUND");
    const viewer = await workspaceWithRole(s, "viewer");
    expect(await errorCode(getRunDetail(viewer, { runId: run.id }))).toBe("NOT_FOUND");
  });

  it("shows a queued run as waiting, with no duration yet", async () => {
    const ctx = await workspaceWithRole(s, "admin");
    const { syncId } = await createSyncFixture(ctx, {
      warehouseUrl: warehouse.url,
      sinkUrl: sink.url,
      query: "select * from public.people",
      primaryKey: ["id"],
      mode: "upsert",
    });
    const { run } = await triggerRun(ctx, { syncId, trigger: "api" });
    const later = new Date(Date.parse(run.createdAt) + 5_000);
    const detail = await getRunDetail(ctx, { runId: run.id }, later);
    expect(detail).toMatchObject({ status: "queued", durationMs: null, waitedMs: 5_000, outcomes: { rejected: 0, failed: 0 } });
    expect(detail.steps).toHaveLength(1);
    expect(detail.steps[0]).toMatchObject({ status: "queued", current: true, leftAt: null });
    expect(detail.steps[0]?.durationMs).toBe(later.getTime() - Date.parse(detail.steps[0]?.enteredAt ?? ""));
  });
});

describe("runSteps", () => {
  const at = (s: number) => new Date(Date.UTC(2025, 0, 1, 0, 0, s)).toISOString();
  const t = (from: RunView["status"] | null, to: RunView["status"], s: number) => ({ from, to, at: at(s), detail: null });

  it("sums time per state over a pause and resume, and counts the current state up to now", () => {
    const timeline = [
      t(null, "queued", 0),
      t("queued", "planning", 1),
      t("planning", "delivering", 3),
      t("delivering", "paused", 10),
      t("paused", "delivering", 40),
      t("delivering", "committing", 45),
    ];
    const steps = runSteps({ status: "committing", timeline }, new Date(Date.parse(at(47))));
    expect(steps.map((x) => [x.status, x.durationMs, x.current])).toEqual([
      ["queued", 1_000, false],
      ["planning", 2_000, false],
      ["delivering", 7_000, false],
      ["paused", 30_000, false],
      ["delivering", 5_000, false],
      ["committing", 2_000, true],
    ]);
  });

  it("measures a run from its start to its finish, or to now", () => {
    expect(runDurationMs({ startedAt: at(1), finishedAt: at(4) })).toBe(3_000);
    expect(runDurationMs({ startedAt: at(1), finishedAt: null }, new Date(Date.parse(at(11))))).toBe(10_000);
    expect(runDurationMs({ startedAt: null, finishedAt: null })).toBeNull();
  });
});
