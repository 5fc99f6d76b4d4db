// "Test one row" end to end: a real Postgres warehouse, a webhook destination pointing at a local sink, and
// the sync's bookkeeping checked to be untouched afterwards.
import type { TestSendResult } from "@sluice/contracts/test-send";
import { uniqueName } from "@sluice/db/testing";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createSyncFixture, type SyncSetup, Warehouse } from "../runs/testing/fixtures";
import { type Sink, startSink } from "../runs/testing/sink";
import { asRole, errorCode, testServices, workspaceWithRole } from "../testing/fixtures";
import { createDestination } from "./create-destination";
import { testSendRow } from "./test-send-row";

const s = testServices({ allowPrivateDestinations: true });
let warehouse: Warehouse;
let sink: Sink;

beforeAll(async () => {
  warehouse = await Warehouse.create("testsend");
  sink = await startSink();
});
afterAll(async () => {
  await sink.close();
  await warehouse.close();
});
afterEach(() => {
  sink.reset();
  sink.behaviour = {};
});

type Ctx = Awaited<ReturnType<typeof workspaceWithRole>>;

async function setup(role: "owner" | "editor" = "editor"): Promise<{ ctx: Ctx; sync: SyncSetup; table: string }> {
  const owner = await workspaceWithRole(s);
  const table = `t_${Math.random().toString(36).slice(2, 8)}`;
  await warehouse.sql(`create table public.${table} (id int primary key, email text, plan text, score text)`);
  await warehouse.sql(`insert into public.${table} values (1, 'u1@example.com', 'free', '10'), (2, 'u2@example.com', 'pro', 'n/a'),
    (3, 'u3@example.com', 'team', '30')`);
  const sync = await createSyncFixture(owner, {
    warehouseUrl: warehouse.url,
    sinkUrl: sink.url,
    query: `select * from public.${table} order by id`,
    primaryKey: ["id"],
    mode: "upsert",
  });
  const ctx = role === "owner" ? owner : { ...(await asRole(owner, role)), ownerId: owner.ownerId };
  return { ctx, sync, table };
}

/** What a sync's bookkeeping looks like: runs, outcomes, the committed config and the warehouse's Sluice tables. */
async function bookkeeping(ctx: Ctx, syncId: string) {
  const sync = await ctx.db.sync.findUniqueOrThrow({ where: { id: syncId } });
  return {
    runs: await ctx.db.syncRun.count({ where: { syncId } }),
    outcomes: await ctx.db.recordOutcome.count({ where: { syncId } }),
    committedConfigHash: sync.committedConfigHash,
    updatedAt: sync.updatedAt.toISOString(),
    sluiceTables: await warehouse.sluiceTables(),
  };
}

describe("testSendRow", () => {
  it("sends the model's first row of a saved sync, exactly as recorded, and leaves the sync untouched", async () => {
    const { ctx, sync } = await setup();
    const before = await bookkeeping(ctx, sync.syncId);
    const result = await testSendRow(ctx, { syncId: sync.syncId });

    expect(result.row).toEqual({ id: 1, email: "u1@example.com", plan: "free", score: "10" });
    expect(result.record).toEqual({
      op: "insert",
      key: { id: 1 },
      data: { email: "u1@example.com", traits: { plan: "free", score: 10 } },
      idempotencyKey: expect.stringMatching(/^test-[0-9a-f-]{36}$/),
    });
    expect(result.result).toEqual({ status: "ok" });
    // The sink got one batch, and it is byte for byte the body the exchange shows.
    expect(sink.batches).toHaveLength(1);
    expect(result.exchanges).toHaveLength(1);
    const exchange = result.exchanges[0] as TestSendResult["exchanges"][number];
    expect(exchange.request.method).toBe("POST");
    expect(exchange.request.url).toBe(sink.url);
    expect(JSON.parse(exchange.request.body)).toEqual(sink.batches[0]);
    expect(sink.batches[0]).toMatchObject({
      syncId: sync.syncId,
      records: [{ op: "insert", key: { id: 1 }, data: { email: "u1@example.com", traits: { plan: "free", score: 10 } } }],
    });
    expect(exchange.response?.status).toBe(200);

    expect(await bookkeeping(ctx, sync.syncId)).toEqual(before);
    expect(before.runs).toBe(0);
    expect(before.outcomes).toBe(0);
  });

  it("sends the row with the given primary key", async () => {
    const { ctx, sync } = await setup();
    const result = await testSendRow(ctx, { syncId: sync.syncId, key: { id: 3 } });
    expect(result.result).toEqual({ status: "ok" });
    expect(sink.received.map((r) => r.key)).toEqual([{ id: 3 }]);
    // A key as text finds the row too (the warehouse types it by its column).
    await testSendRow(ctx, { syncId: sync.syncId, key: { id: "1" } });
    expect(sink.received.map((r) => r.key)).toEqual([{ id: 3 }, { id: 1 }]);
  });

  it("says which key is wrong, and when no row has it", async () => {
    const { ctx, sync } = await setup();
    const wrongColumn = await testSendRow(ctx, { syncId: sync.syncId, key: { email: "u1@example.com" } }).catch(
      (e: unknown) => e,
    );
    expect(wrongColumn).toMatchObject({
      code: "BAD_REQUEST",
      message: "The row's key must name the model's primary key (\"id\").",
      fieldErrors: { key: ['give a value for "id"', '"email" is not in the primary key'] },
    });
    const missing = await testSendRow(ctx, { syncId: sync.syncId, key: { id: 99 } }).catch((e: unknown) => e);
    expect(missing).toMatchObject({
      code: "NOT_FOUND",
      message: expect.stringMatching(/^Model ".+" has no row with id = 99\.$/),
    });
    const notANumber = await testSendRow(ctx, { syncId: sync.syncId, key: { id: "abc" } }).catch((e: unknown) => e);
    expect(notANumber).toMatchObject({
      code: "BAD_REQUEST",
      fieldErrors: {
        key: [expect.stringMatching(/^a primary key value does not fit its column: invalid input syntax for type integer/)],
      },
    });
    expect(sink.batches).toHaveLength(0);
  });

  it("sends a draft sync's settings (model, destination, mode, mappings) without saving anything", async () => {
    const { ctx, sync } = await setup();
    const result = await testSendRow(ctx, {
      modelId: sync.modelId,
      destinationId: sync.destinationId,
      mode: "insert",
      mappings: [
        { from: "email", to: "contact.email" },
        { constant: "sluice", to: "contact.source" },
      ],
      key: { id: 2 },
    });
    expect(result.result).toEqual({ status: "ok" });
    expect(sink.received).toMatchObject([
      { op: "insert", key: { id: 2 }, data: { contact: { email: "u2@example.com", source: "sluice" } } },
    ]);
    expect(sink.batches[0]?.syncId).toBe("test");
    expect(await ctx.db.sync.count({ where: { workspaceId: ctx.workspaceId } })).toBe(1);
  });

  it("returns the mapping failure's reason and sends nothing", async () => {
    const { ctx, sync } = await setup();
    const result = await testSendRow(ctx, {
      modelId: sync.modelId,
      destinationId: sync.destinationId,
      mode: "upsert",
      mappings: [{ from: "score", to: "score", cast: "number" }],
      key: { id: 2 },
    });
    expect(result).toEqual({
      row: { id: 2, email: "u2@example.com", plan: "pro", score: "n/a" },
      record: null,
      result: { status: "mapping_failed", reason: 'column "score": "n/a" is not a number' },
      exchanges: [],
    });
    expect(sink.batches).toHaveLength(0);
  });

  it("reports the destination's rejection and its refusal as results", async () => {
    const { ctx, sync } = await setup();
    sink.behaviour.answer = () => ({ status: "rejected", reason: "email domain not allowed" });
    const rejected = await testSendRow(ctx, { syncId: sync.syncId });
    expect(rejected.result).toEqual({ status: "rejected", reason: "email domain not allowed" });

    sink.behaviour = { status: () => 401 };
    const refused = await testSendRow(ctx, { syncId: sync.syncId });
    expect(refused.result).toMatchObject({ status: "fatal", reason: expect.stringContaining("HTTP 401") });
    expect(await ctx.db.syncRun.count({ where: { syncId: sync.syncId } })).toBe(0);
  });

  it("masks the destination's secrets in the exchange", async () => {
    const { ctx, sync } = await setup("owner");
    const destination = await createDestination(ctx, {
      name: uniqueName("hook"),
      type: "webhook",
      config: { url: sink.url, headers: { Authorization: "Bearer hook-token-123456" }, signingSecret: "signing-secret-abcdefgh" },
    });
    const result = await testSendRow(ctx, {
      modelId: sync.modelId,
      destinationId: destination.id,
      mode: "upsert",
      mappings: [{ from: "email", to: "email" }],
    });
    expect(result.result).toEqual({ status: "ok" });
    const headers = result.exchanges[0]?.request.headers ?? {};
    expect(headers.Authorization).toBe("••••••••");
    expect(headers["X-Sluice-Signature"] ?? headers["x-sluice-signature"]).toBe("••••••••");
    expect(JSON.stringify(result)).not.toContain("hook-token-123456");
  });

  it("refuses a viewer, and hides other workspaces' syncs", async () => {
    const { ctx, sync } = await setup();
    const viewer = await asRole(ctx, "viewer");
    expect(await errorCode(testSendRow(viewer, { syncId: sync.syncId }))).toBe("FORBIDDEN");
    const stranger = await workspaceWithRole(s, "editor");
    expect(await errorCode(testSendRow(stranger, { syncId: sync.syncId }))).toBe("NOT_FOUND");
    expect(
      await errorCode(
        testSendRow(stranger, {
          modelId: sync.modelId,
          destinationId: sync.destinationId,
          mode: "upsert",
          mappings: [{ from: "email", to: "email" }],
        }),
      ),
    ).toBe("NOT_FOUND");
    expect(sink.batches).toHaveLength(0);
  });

  it("names the fields of a bad input", async () => {
    const { ctx } = await setup();
    const error = await testSendRow(ctx, { modelId: "m", destinationId: "d", mode: "sideways", mappings: [] } as never).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({
      code: "BAD_REQUEST",
      fieldErrors: { mode: [expect.any(String)], mappings: ["map at least one field"] },
    });
  });
});
