// The engine's rules in isolation: the transition table, config hashing and full-resync reasons, lease
// fencing (a worker that lost its lease writes nothing) and the observer hooks.
import { testDatabaseUrl } from "@sluice/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureQueue } from "../queue/ensure-queue";
import { testServices, workspaceWithRole } from "../testing/fixtures";
import { getRun } from "./get-run";
import type { RunObserver } from "./observer";
import { computeConfigHash, describeConfigChange } from "./plan-run";
import { createSyncFixture, execute, opsByKey, Warehouse } from "./testing/fixtures";
import { startSink } from "./testing/sink";
import { ALLOWED_TRANSITIONS, canTransition } from "./transitions";
import { triggerRun } from "./trigger-run";

const s = testServices({ allowPrivateDestinations: true });
let warehouse: Warehouse;

beforeAll(async () => {
  await ensureQueue(testDatabaseUrl());
  warehouse = await Warehouse.create("engine");
});
afterAll(async () => {
  await warehouse.close();
});

describe("transitions", () => {
  it("follow DESIGN.md's state machine", () => {
    expect(canTransition("queued", "planning")).toBe(true);
    expect(canTransition("delivering", "paused")).toBe(true);
    expect(canTransition("paused", "delivering")).toBe(true);
    expect(canTransition("committing", "cancelled")).toBe(false);
    expect(canTransition("planning", "delivering")).toBe(false);
    for (const done of ["succeeded", "failed", "cancelled"] as const) expect(ALLOWED_TRANSITIONS[done]).toEqual([]);
  });
});

describe("config hash", () => {
  const base = {
    query: "select * from t",
    primaryKey: ["id"],
    mappings: [{ from: "email", to: "email" }],
    mode: "upsert" as const,
    sourceId: "src",
    destination: "dst/",
  };
  it("names what changed", () => {
    const h = computeConfigHash(base);
    expect(describeConfigChange(null, h)).toBe("first run");
    expect(describeConfigChange(h, h)).toBeNull();
    expect(describeConfigChange(h, computeConfigHash({ ...base, mappings: [{ from: "email", to: "mail" }] }))).toBe(
      "mappings changed",
    );
    expect(describeConfigChange(h, computeConfigHash({ ...base, query: "select * from u" }))).toBe("model query changed");
    expect(describeConfigChange(h, computeConfigHash({ ...base, primaryKey: ["id", "region"] }))).toBe("primary key changed");
    expect(describeConfigChange(h, computeConfigHash({ ...base, query: "select 1", mode: "mirror" }))).toBe(
      "model query changed, mode changed",
    );
    expect(describeConfigChange("legacy", h)).toBe("configuration changed");
  });
});

async function fixture(ctx: Awaited<ReturnType<typeof workspaceWithRole>>, sinkUrl: string) {
  const name = `t_${Math.random().toString(36).slice(2, 8)}`;
  await warehouse.sql(`create table public.${name} (id int, email text, plan text, score text)`);
  await warehouse.sql(`insert into public.${name} select g, 'u' || g, 'free', g::text from generate_series(1, 6) g`);
  return createSyncFixture(ctx, {
    warehouseUrl: warehouse.url,
    sinkUrl,
    query: `select * from public.${name}`,
    primaryKey: ["id"],
    mode: "upsert",
    batchSize: 2,
  });
}

describe("lease fencing", () => {
  it("a worker whose lease was taken stops without writing its batch; the new owner resumes", async () => {
    const ctx = await workspaceWithRole(s);
    let runId = "";
    const sink = await startSink({
      beforeAnswer: async (_batch, index) => {
        // Another worker takes the run while this batch is in flight (as after a long stall).
        if (index === 0) await s.db.syncRun.update({ where: { id: runId }, data: { leaseOwner: "thief", leaseExpiresAt: null } });
      },
    });
    try {
      const { syncId } = await fixture(ctx, sink.url);
      runId = (await triggerRun(ctx, { syncId, trigger: "manual" })).run.id;
      await execute(s, runId);
      const row = await s.db.syncRun.findUniqueOrThrow({ where: { id: runId } });
      expect(row).toMatchObject({ status: "delivering", leaseOwner: "thief", delivered: 0, checkpoint: null });
      expect(await s.db.recordOutcome.count({ where: { runId } })).toBe(0);
      sink.behaviour.beforeAnswer = undefined;
      await s.db.syncRun.update({ where: { id: runId }, data: { leaseOwner: null } });
      await execute(s, runId);
      expect(await getRun(ctx, { runId })).toMatchObject({ status: "succeeded", counts: { delivered: 6 } });
      // The first batch was sent twice (once by each owner), with the same batch id and idempotency keys.
      expect(opsByKey(sink.received)).toEqual([
        "insert:1",
        "insert:1",
        "insert:2",
        "insert:2",
        "insert:3",
        "insert:4",
        "insert:5",
        "insert:6",
      ]);
    } finally {
      await sink.close();
    }
  });
});

describe("observer", () => {
  it("sees every transition, every batch and the end of the run", async () => {
    const ctx = await workspaceWithRole(s);
    const sink = await startSink({ answer: (r) => (r.key.id === 3 ? { status: "rejected", reason: "no" } : { status: "ok" }) });
    const transitions: string[] = [];
    const batches: { records: number; delivered: number; rejected: number }[] = [];
    const finished: { status: string; durationMs: number }[] = [];
    const observer: RunObserver = {
      onTransition: (_id, from, to) => transitions.push(`${from}→${to}`),
      onBatch: (e) => batches.push({ records: e.records, ...e.outcomes }),
      onRunFinished: (e) => finished.push(e),
    };
    try {
      const { syncId } = await fixture(ctx, sink.url);
      const { run } = await triggerRun(ctx, { syncId, trigger: "manual" });
      await execute(s, run.id, {
        observer: {
          ...observer,
          onBatch: (e) => {
            expect(e.sample.length).toBeGreaterThan(0);
            observer.onBatch?.(e);
          },
        },
      });
      expect(transitions).toEqual([
        "queued→planning",
        "planning→snapshotting",
        "snapshotting→diffing",
        "diffing→delivering",
        "delivering→committing",
        "committing→succeeded",
      ]);
      expect(batches).toEqual([
        { records: 2, delivered: 2, rejected: 0, failed: 0 },
        { records: 2, delivered: 1, rejected: 1, failed: 0 },
        { records: 2, delivered: 2, rejected: 0, failed: 0 },
      ]);
      expect(finished).toEqual([{ runId: run.id, status: "succeeded", durationMs: expect.any(Number) }]);
    } finally {
      await sink.close();
    }
  });
});
