// Segment-compatible Tracking API end to end through the real engine: a Postgres warehouse table, a
// segment destination pointing at the emulator, syncs run with runSync. The emulator's users (Identify)
// and events (Track) equal the model after each run; every message's messageId is its idempotency key.
import { type SegmentEmulator, startSegmentEmulator } from "@sluice/connectors/destinations/segment/emulator";
import type { MappingSpec } from "@sluice/contracts/mapping";
import type { SyncMode } from "@sluice/contracts/sync-config";
import { testDatabaseUrl } from "@sluice/db/testing";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { WorkspaceContext } from "../../context";
import { ensureQueue } from "../../queue/ensure-queue";
import { testServices, workspaceWithRole } from "../../testing/fixtures";
import { createDestinationSync, runSync, Warehouse } from "../testing/fixtures";

const KEY = "segment-e2e-key";
const s = testServices({ allowPrivateDestinations: true });
let warehouse: Warehouse;
let segment: SegmentEmulator;

beforeAll(async () => {
  await ensureQueue(testDatabaseUrl());
  warehouse = await Warehouse.create("segment");
});
afterAll(async () => {
  await warehouse.close();
});
beforeEach(async () => {
  segment = await startSegmentEmulator({ writeKeys: [KEY] });
});
afterEach(async () => {
  await segment.close();
});

async function segmentSync(
  ctx: WorkspaceContext,
  o: { query: string; object: string; mode: SyncMode; mappings: MappingSpec; config?: Record<string, unknown> },
): Promise<string> {
  const { syncId } = await createDestinationSync(ctx, {
    warehouseUrl: warehouse.url,
    query: o.query,
    primaryKey: ["id"],
    destination: { type: "segment", config: { baseUrl: segment.url, writeKey: KEY, batchSize: 4, ...o.config } },
    object: o.object,
    mode: o.mode,
    mappings: o.mappings,
  });
  return syncId;
}

async function expectedTraits(table: string): Promise<Record<string, Record<string, unknown>>> {
  const { rows } = await warehouse.sql(`select user_id, email, plan from public.${table} order by id`);
  return Object.fromEntries(rows.map((r) => [r.user_id as string, { email: r.email, plan: r.plan }]));
}

describe("segment end to end", () => {
  it("identify (upsert): traits follow the model; messageIds are the engine's idempotency keys", async () => {
    const ctx = await workspaceWithRole(s);
    const table = `seg_users_${Math.random().toString(36).slice(2, 8)}`;
    await warehouse.sql(`create table public.${table} (id int, user_id text, email text, plan text)`);
    await warehouse.sql(
      `insert into public.${table} select g, 'user-' || g, 'u' || g || '@x.io', 'free' from generate_series(1, 9) g`,
    );
    const syncId = await segmentSync(ctx, {
      query: `select * from public.${table}`,
      object: "identify",
      mode: "upsert",
      mappings: [
        { from: "user_id", to: "userId" },
        { from: "email", to: "traits.email" },
        { from: "plan", to: "traits.plan" },
      ],
    });

    const sent: { key: Record<string, unknown>; idempotencyKey: string }[] = [];
    const first = await runSync(ctx, syncId, {
      execute: {
        observer: {
          onBatch: (e) => {
            for (const sample of e.sample) sent.push(sample.payload as (typeof sent)[number]);
          },
        },
      },
    });
    expect(first).toMatchObject({ status: "succeeded", counts: { delivered: 9, rejected: 0, failed: 0 } });
    expect(Object.fromEntries(segment.users)).toEqual(await expectedTraits(table));
    expect(segment.requests.map((r) => (r.body as { batch: unknown[] }).batch.length).sort()).toEqual([1, 4, 4]);
    // A batch re-sent after a crash carries the same keys, so Segment would deduplicate it.
    expect(sent.length).toBeGreaterThan(0);
    for (const record of sent) {
      const message = segment.messages.find((m) => m.userId === `user-${record.key.id}`);
      expect(message?.messageId).toBe(record.idempotencyKey);
    }

    await warehouse.sql(`update public.${table} set plan = 'pro' where id in (2, 3)`);
    await warehouse.sql(`insert into public.${table} values (10, 'user-10', 'u10@x.io', 'trial')`);
    await warehouse.sql(`delete from public.${table} where id = 9`);
    segment.requests.length = 0;
    const second = await runSync(ctx, syncId);
    expect(second).toMatchObject({ status: "succeeded", counts: { delivered: 3, rejected: 0, failed: 0 } });
    const expected = await expectedTraits(table);
    // Upsert sends no deletes (the Tracking API has none): user-9 stays as last identified.
    expect(Object.fromEntries(segment.users)).toEqual({ ...expected, "user-9": { email: "u9@x.io", plan: "free" } });
    expect(segment.messages).toHaveLength(12);
    expect(segment.duplicates).toBe(0);

    segment.requests.length = 0;
    expect(await runSync(ctx, syncId)).toMatchObject({ status: "succeeded", counts: { delivered: 0 } });
    expect(segment.requests).toEqual([]);
  });

  it("track (insert): one event per new row through a 429 storm; rows without a user are rejected with the reason", async () => {
    const ctx = await workspaceWithRole(s);
    const table = `seg_orders_${Math.random().toString(36).slice(2, 8)}`;
    await warehouse.sql(`create table public.${table} (id int, user_id text, total numeric, placed_at timestamptz)`);
    await warehouse.sql(
      `insert into public.${table} values (1, 'a', 10.5, '2024-05-01T10:00:00Z'), (2, null, 3, '2024-05-01T11:00:00Z'),
         (3, 'b', 7, '2024-05-02T09:00:00Z')`,
    );
    const syncId = await segmentSync(ctx, {
      query: `select * from public.${table}`,
      object: "track",
      mode: "insert",
      config: { eventName: "Order Placed" },
      mappings: [
        { from: "user_id", to: "userId" },
        { from: "total", to: "properties.total", cast: "number" },
        { from: "placed_at", to: "timestamp", cast: "date" },
      ],
    });
    segment.stormFromNextRequest(300);
    const run = await runSync(ctx, syncId);
    expect(run).toMatchObject({ status: "succeeded", counts: { delivered: 2, rejected: 1, failed: 0 } });
    expect(segment.requests[0]?.status).toBe(429);
    expect(segment.events.map((e) => [e.userId, e.event, e.properties, e.timestamp])).toEqual([
      ["a", "Order Placed", { total: 10.5 }, "2024-05-01T10:00:00.000Z"],
      ["b", "Order Placed", { total: 7 }, "2024-05-02T09:00:00.000Z"],
    ]);
    const outcomes = await s.db.recordOutcome.findMany({ where: { runId: run.id } });
    expect(outcomes.map((o) => [o.recordKey, o.status, o.reason])).toEqual([
      [{ id: 2 }, "rejected", "userId and anonymousId are both missing: map a column to userId (or anonymousId)"],
    ]);
    expect(segment.dropped).toEqual([]);
  });

  it("a refused write key fails the run saying to check it", async () => {
    const ctx = await workspaceWithRole(s);
    const table = `seg_bad_${Math.random().toString(36).slice(2, 8)}`;
    await warehouse.sql(`create table public.${table} (id int, user_id text)`);
    await warehouse.sql(`insert into public.${table} values (1, 'x')`);
    const syncId = await segmentSync(ctx, {
      query: `select * from public.${table}`,
      object: "identify",
      mode: "upsert",
      config: { writeKey: "stale-key" },
      mappings: [{ from: "user_id", to: "userId" }],
    });
    const run = await runSync(ctx, syncId);
    expect(run.status).toBe("failed");
    expect(run.error).toMatch(/refused the write key \(HTTP 401.*\) — check the write key/);
    expect(run.error).not.toContain("stale-key");
  });
});
