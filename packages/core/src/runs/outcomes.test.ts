// Per-record outcomes and run failures: failed records are retried on the next run only, rejected ones
// not until they change, a bad cast rejects one row while the rest goes on; fatal causes fail the run
// with a clear error; configuration changes force a full resync that says why.
import { testDatabaseUrl } from "@sluice/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureQueue } from "../queue/ensure-queue";
import { testServices, workspaceWithRole } from "../testing/fixtures";
import { createSyncFixture, opsByKey, runSync, Warehouse } from "./testing/fixtures";
import { startSink } from "./testing/sink";
import { triggerRun } from "./trigger-run";

const s = testServices({ allowPrivateDestinations: true });
let warehouse: Warehouse;

beforeAll(async () => {
  await ensureQueue(testDatabaseUrl());
  warehouse = await Warehouse.create("outcomes");
});
afterAll(async () => {
  await warehouse.close();
});

async function table(rows: string): Promise<string> {
  const name = `t_${Math.random().toString(36).slice(2, 8)}`;
  await warehouse.sql(`create table public.${name} (id int, email text, plan text, score text)`);
  if (rows) await warehouse.sql(`insert into public.${name} values ${rows}`);
  return name;
}

const FOUR = "(1,'a@x','free','1'),(2,'b@x','free','2'),(3,'c@x','free','3'),(4,'d@x','free','4')";

describe("record outcomes", () => {
  it("retries a record the webhook answered `retry` on the next run, and not before", async () => {
    const ctx = await workspaceWithRole(s);
    let failTwo = true;
    const sink = await startSink({
      answer: (r) => (failTwo && r.key.id === 2 ? { status: "retry", reason: "busy" } : { status: "ok" }),
    });
    try {
      const t = await table(FOUR);
      const { syncId } = await createSyncFixture(ctx, {
        warehouseUrl: warehouse.url,
        sinkUrl: sink.url,
        query: `select * from public.${t}`,
        primaryKey: ["id"],
        mode: "upsert",
        batchSize: 2,
      });
      const first = await runSync(ctx, syncId);
      expect(first).toMatchObject({ status: "succeeded", counts: { delivered: 3, failed: 1, rejected: 0 } });
      expect(opsByKey(sink.received)).toEqual(["insert:1", "insert:2", "insert:3", "insert:4"]); // 2 sent once in run 1
      const outcome = await s.db.recordOutcome.findFirstOrThrow({ where: { runId: first.id } });
      expect(outcome).toMatchObject({ status: "failed", reason: "busy", recordKey: { id: 2 } });

      failTwo = false;
      sink.reset();
      const second = await runSync(ctx, syncId);
      expect(second).toMatchObject({ status: "succeeded", counts: { planned: 1, delivered: 1, failed: 0 } });
      expect(opsByKey(sink.received)).toEqual(["insert:2"]);

      sink.reset();
      expect((await runSync(ctx, syncId)).counts.planned).toBe(0);
      expect(sink.received).toEqual([]);
    } finally {
      await sink.close();
    }
  });

  it("retries a failed update with its previous state and a failed delete (mirror)", async () => {
    const ctx = await workspaceWithRole(s);
    let failing = false;
    const sink = await startSink({ answer: () => (failing ? { status: "retry", reason: "later" } : { status: "ok" }) });
    try {
      const t = await table(FOUR);
      const { syncId } = await createSyncFixture(ctx, {
        warehouseUrl: warehouse.url,
        sinkUrl: sink.url,
        query: `select * from public.${t}`,
        primaryKey: ["id"],
        mode: "mirror",
      });
      await runSync(ctx, syncId);
      await warehouse.sql(`update public.${t} set plan = 'pro' where id = 1`);
      await warehouse.sql(`delete from public.${t} where id = 2`);
      failing = true;
      sink.reset();
      expect((await runSync(ctx, syncId)).counts).toMatchObject({ failed: 2, delivered: 0 });
      failing = false;
      sink.reset();
      await runSync(ctx, syncId);
      expect(opsByKey(sink.received)).toEqual(["delete:2", "update:1"]);
      expect(sink.received.find((r) => r.op === "update")?.data).toMatchObject({ traits: { plan: "pro" } });
    } finally {
      await sink.close();
    }
  });

  it("does not retry a rejected record until its row changes", async () => {
    const ctx = await workspaceWithRole(s);
    const sink = await startSink({
      answer: (r) => (r.key.id === 3 ? { status: "rejected", reason: "invalid email" } : { status: "ok" }),
    });
    try {
      const t = await table(FOUR);
      const { syncId } = await createSyncFixture(ctx, {
        warehouseUrl: warehouse.url,
        sinkUrl: sink.url,
        query: `select * from public.${t}`,
        primaryKey: ["id"],
        mode: "upsert",
      });
      const first = await runSync(ctx, syncId);
      expect(first.counts).toMatchObject({ delivered: 3, rejected: 1 });
      expect(await s.db.recordOutcome.findFirst({ where: { runId: first.id } })).toMatchObject({
        status: "rejected",
        reason: "invalid email",
      });
      sink.reset();
      await runSync(ctx, syncId);
      expect(sink.received).toEqual([]);
      await warehouse.sql(`update public.${t} set email = 'fixed@x' where id = 3`);
      sink.behaviour.answer = undefined;
      await runSync(ctx, syncId);
      expect(opsByKey(sink.received)).toEqual(["update:3"]);
    } finally {
      await sink.close();
    }
  });

  it("rejects a row whose cast fails, without sending it, while the rest of the batch goes on", async () => {
    const ctx = await workspaceWithRole(s);
    const sink = await startSink();
    try {
      const t = await table("(1,'a@x','free','1'),(2,'b@x','free','abc'),(3,'c@x','free','3')");
      const { syncId } = await createSyncFixture(ctx, {
        warehouseUrl: warehouse.url,
        sinkUrl: sink.url,
        query: `select * from public.${t}`,
        primaryKey: ["id"],
        mode: "upsert",
      });
      const run = await runSync(ctx, syncId);
      expect(run).toMatchObject({ status: "succeeded", counts: { delivered: 2, rejected: 1 } });
      expect(opsByKey(sink.received)).toEqual(["insert:1", "insert:3"]);
      const outcome = await s.db.recordOutcome.findFirstOrThrow({ where: { runId: run.id } });
      expect(outcome.reason).toMatch(/score.*not a number/);
      sink.reset();
      await runSync(ctx, syncId);
      expect(sink.received).toEqual([]); // rejected: not retried until it changes
      await warehouse.sql(`update public.${t} set score = '2' where id = 2`);
      await runSync(ctx, syncId);
      expect(opsByKey(sink.received)).toEqual(["update:2"]);
    } finally {
      await sink.close();
    }
  });

  it("works with a composite primary key end to end (mirror)", async () => {
    const ctx = await workspaceWithRole(s);
    const sink = await startSink();
    try {
      const name = `c_${Math.random().toString(36).slice(2, 8)}`;
      await warehouse.sql(`create table public.${name} (region text, id bigint, email text, plan text, score text)`);
      await warehouse.sql(
        `insert into public.${name} values ('eu',1,'a','free','1'),('us',1,'b','free','2'),('eu',2,'c','free','3'),('us',2,'d','free','4'),('us',3,'e','free','5')`,
      );
      const { syncId } = await createSyncFixture(ctx, {
        warehouseUrl: warehouse.url,
        sinkUrl: sink.url,
        query: `select * from public.${name}`,
        primaryKey: ["region", "id"],
        mode: "mirror",
        batchSize: 2,
      });
      await runSync(ctx, syncId);
      expect(sink.received).toHaveLength(5);
      expect(sink.received[0]?.key).toEqual({ region: "eu", id: "1" });
      await warehouse.sql(`update public.${name} set plan = 'pro' where region = 'us' and id = 1`);
      await warehouse.sql(`delete from public.${name} where region = 'eu' and id = 2`);
      await warehouse.sql(`insert into public.${name} values ('eu',3,'f','free','6')`);
      sink.reset();
      await runSync(ctx, syncId);
      expect(opsByKey(sink.received)).toEqual(["delete:eu/2", "insert:eu/3", "update:us/1"]);
    } finally {
      await sink.close();
    }
  });
});

describe("full resync", () => {
  it("follows a change of mappings or model query with a full resync that says why; a requested one too", async () => {
    const ctx = await workspaceWithRole(s);
    const sink = await startSink();
    try {
      const t = await table(FOUR);
      const { syncId, modelId } = await createSyncFixture(ctx, {
        warehouseUrl: warehouse.url,
        sinkUrl: sink.url,
        query: `select * from public.${t}`,
        primaryKey: ["id"],
        mode: "upsert",
      });
      await runSync(ctx, syncId);
      await s.db.sync.update({ where: { id: syncId }, data: { mappings: [{ from: "email", to: "contact.email" }] } });
      sink.reset();
      const changed = await runSync(ctx, syncId);
      expect(changed).toMatchObject({
        fullResync: true,
        fullResyncReason: "mappings changed",
        counts: { planned: 4, changed: 4 },
      });
      expect(opsByKey(sink.received)).toEqual(["update:1", "update:2", "update:3", "update:4"]);
      expect(sink.received[0]?.data).toEqual({ contact: { email: "a@x" } });
      expect(changed.timeline.find((e) => e.to === "snapshotting")?.detail).toBe("full resync: mappings changed");

      sink.reset();
      expect(await runSync(ctx, syncId)).toMatchObject({ fullResync: false, counts: { planned: 0 } });

      await s.db.model.update({ where: { id: modelId }, data: { query: `select * from public.${t} where id < 4` } });
      const query = await runSync(ctx, syncId);
      expect(query).toMatchObject({ fullResync: true, fullResyncReason: "model query changed", counts: { planned: 3 } });

      sink.reset();
      const requested = await runSync(ctx, syncId, { fullResync: true });
      expect(requested).toMatchObject({ fullResync: true, fullResyncReason: "requested", counts: { planned: 3 } });
      expect(sink.received).toHaveLength(3);
    } finally {
      await sink.close();
    }
  });
});

describe("run failures", () => {
  it("fails with a clear error when the warehouse is unreachable", async () => {
    const ctx = await workspaceWithRole(s);
    const sink = await startSink();
    try {
      const { syncId } = await createSyncFixture(ctx, {
        warehouseUrl: "postgresql://postgres@127.0.0.1:1/nowhere",
        sinkUrl: sink.url,
        query: "select 1 as id, 'a' as email, 'b' as plan, '1' as score",
        primaryKey: ["id"],
        mode: "upsert",
      });
      const run = await runSync(ctx, syncId);
      expect(run.status).toBe("failed");
      expect(run.error).toMatch(/^Could not connect to warehouse ".*": /);
      expect(run.timeline.at(-1)).toMatchObject({ from: "snapshotting", to: "failed" });
      expect(sink.received).toEqual([]);
      // Its schedule continues: the next trigger makes a new run.
      expect((await triggerRun(ctx, { syncId, trigger: "manual" })).created).toBe(true);
    } finally {
      await sink.close();
    }
  });

  it("fails with the warehouse's message when the model SQL is invalid, leaving no transient tables", async () => {
    const ctx = await workspaceWithRole(s);
    const sink = await startSink();
    try {
      const { syncId } = await createSyncFixture(ctx, {
        warehouseUrl: warehouse.url,
        sinkUrl: sink.url,
        query: "select id, email from public.no_such_table",
        primaryKey: ["id"],
        mode: "upsert",
      });
      const run = await runSync(ctx, syncId);
      expect(run.status).toBe("failed");
      expect(run.error).toMatch(/model SQL is invalid/);
      expect(await warehouse.sluiceTables()).not.toContainEqual(expect.stringContaining(run.id.toLowerCase()));
    } finally {
      await sink.close();
    }
  });

  it("fails when the destination refuses Sluice's credentials, and commits nothing", async () => {
    const ctx = await workspaceWithRole(s);
    const sink = await startSink({ status: () => 401 });
    try {
      const t = await table(FOUR);
      const { syncId } = await createSyncFixture(ctx, {
        warehouseUrl: warehouse.url,
        sinkUrl: sink.url,
        query: `select * from public.${t}`,
        primaryKey: ["id"],
        mode: "upsert",
      });
      const run = await runSync(ctx, syncId);
      expect(run.status).toBe("failed");
      expect(run.error).toMatch(/Destination ".*" refused the delivery: .*401/);
      sink.behaviour.status = undefined;
      sink.reset();
      const next = await runSync(ctx, syncId);
      expect(next).toMatchObject({ status: "succeeded", fullResyncReason: "first run" });
      expect(sink.received).toHaveLength(4);
    } finally {
      await sink.close();
    }
  });
});
