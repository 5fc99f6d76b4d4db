// Braze end to end through the real engine: a Postgres warehouse table, a braze destination pointing at
// the emulator, syncs run with runSync. After each run the emulator's profiles (or events) equal the model.
import { type BrazeEmulator, startBrazeEmulator } from "@sluice/connectors/destinations/braze/emulator";
import type { MappingSpec } from "@sluice/contracts/mapping";
import type { SyncMode } from "@sluice/contracts/sync-config";
import { testDatabaseUrl } from "@sluice/db/testing";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { WorkspaceContext } from "../../context";
import { ensureQueue } from "../../queue/ensure-queue";
import { testServices, workspaceWithRole } from "../../testing/fixtures";
import { createDestinationSync, runSync, Warehouse } from "../testing/fixtures";

const KEY = "braze-e2e-key";
const s = testServices({ allowPrivateDestinations: true });
let warehouse: Warehouse;
let braze: BrazeEmulator;

beforeAll(async () => {
  await ensureQueue(testDatabaseUrl());
  warehouse = await Warehouse.create("braze");
});
afterAll(async () => {
  await warehouse.close();
});
beforeEach(async () => {
  braze = await startBrazeEmulator({ apiKeys: { [KEY]: ["users.track", "users.delete"] } });
});
afterEach(async () => {
  await braze.close();
});

async function brazeSync(
  ctx: WorkspaceContext,
  o: { query: string; object: string; mode: SyncMode; mappings: MappingSpec; config?: Record<string, unknown> },
): Promise<string> {
  const { syncId } = await createDestinationSync(ctx, {
    warehouseUrl: warehouse.url,
    query: o.query,
    primaryKey: ["id"],
    destination: { type: "braze", config: { restEndpoint: braze.url, apiKey: KEY, batchSize: 3, ...o.config } },
    object: o.object,
    mode: o.mode,
    mappings: o.mappings,
  });
  return syncId;
}

/** The profiles Braze should hold: one per row, null columns absent (a null attribute removes it). */
async function expectedProfiles(table: string): Promise<Record<string, Record<string, unknown>>> {
  const { rows } = await warehouse.sql(`select external_id, email, plan, score from public.${table} order by id`);
  const profiles: Record<string, Record<string, unknown>> = {};
  for (const r of rows) {
    const profile: Record<string, unknown> = { external_id: r.external_id };
    if (r.email !== null) profile.email = r.email;
    if (r.plan !== null) profile.plan = r.plan;
    if (r.score !== null) profile.score = Number(r.score);
    profiles[r.external_id as string] = profile;
  }
  return profiles;
}

describe("braze end to end", () => {
  it("mirror: profiles follow the model — upserts, attribute removal, deletes — through a 429 storm", async () => {
    const ctx = await workspaceWithRole(s);
    const table = `braze_users_${Math.random().toString(36).slice(2, 8)}`;
    await warehouse.sql(`create table public.${table} (id int, external_id text, email text, plan text, score text)`);
    await warehouse.sql(
      `insert into public.${table} select g, 'user-' || g, 'u' || g || '@x.io', 'free', (g * 10)::text from generate_series(1, 7) g`,
    );
    const syncId = await brazeSync(ctx, {
      query: `select id, external_id, email, plan, score from public.${table}`,
      object: "users",
      mode: "mirror",
      mappings: [
        { from: "external_id", to: "external_id" },
        { from: "email", to: "email" },
        { from: "plan", to: "plan" },
        { from: "score", to: "score", cast: "number" },
      ],
    });

    const first = await runSync(ctx, syncId);
    expect(first).toMatchObject({ status: "succeeded", counts: { delivered: 7, rejected: 0, failed: 0 } });
    expect(Object.fromEntries(braze.users)).toEqual(await expectedProfiles(table));
    // batchSize 3: 7 attributes objects in requests of at most 3.
    expect(braze.requests.map((r) => (r.body as { attributes: unknown[] }).attributes.length).sort()).toEqual([1, 3, 3]);

    await warehouse.sql(`update public.${table} set plan = 'pro' where id = 2`);
    await warehouse.sql(`update public.${table} set email = null where id = 3`);
    await warehouse.sql(`delete from public.${table} where id in (4, 5)`);
    await warehouse.sql(`insert into public.${table} values (8, 'user-8', 'u8@x.io', 'trial', '80')`);
    braze.requests.length = 0;
    braze.stormFromNextRequest(300);
    const second = await runSync(ctx, syncId);
    expect(second).toMatchObject({ status: "succeeded", counts: { delivered: 5, rejected: 0, failed: 0 } });
    expect(braze.requests.some((r) => r.status === 429)).toBe(true);
    expect(braze.deleted.sort()).toEqual(["user-4", "user-5"]);
    expect(Object.fromEntries(braze.users)).toEqual(await expectedProfiles(table));
    expect(braze.users.get("user-3")).not.toHaveProperty("email");

    braze.requests.length = 0;
    const third = await runSync(ctx, syncId);
    expect(third).toMatchObject({ status: "succeeded", counts: { delivered: 0 } });
    expect(braze.requests).toEqual([]);
  });

  it("events: one custom event per new row, named by the destination, timed and with properties", async () => {
    const ctx = await workspaceWithRole(s);
    const table = `braze_signups_${Math.random().toString(36).slice(2, 8)}`;
    await warehouse.sql(`create table public.${table} (id int, user_id text, plan text, created_at timestamptz)`);
    await warehouse.sql(
      `insert into public.${table} values (1, 'a', 'free', '2024-05-01T10:00:00Z'), (2, 'b', 'pro', '2024-05-02T10:00:00Z')`,
    );
    const syncId = await brazeSync(ctx, {
      query: `select * from public.${table}`,
      object: "events",
      mode: "insert",
      config: { eventName: "Signed Up" },
      mappings: [
        { from: "user_id", to: "external_id" },
        { from: "created_at", to: "time", cast: "date" },
        { from: "plan", to: "properties.plan" },
      ],
    });
    expect(await runSync(ctx, syncId)).toMatchObject({ status: "succeeded", counts: { delivered: 2 } });
    await warehouse.sql(`insert into public.${table} values (3, 'c', 'pro', '2024-05-03T10:00:00Z')`);
    await warehouse.sql(`update public.${table} set plan = 'pro' where id = 1`);
    expect(await runSync(ctx, syncId)).toMatchObject({ status: "succeeded", counts: { delivered: 1 } });
    expect(braze.events).toEqual([
      { external_id: "a", name: "Signed Up", time: "2024-05-01T10:00:00.000Z", properties: { plan: "free" } },
      { external_id: "b", name: "Signed Up", time: "2024-05-02T10:00:00.000Z", properties: { plan: "pro" } },
      { external_id: "c", name: "Signed Up", time: "2024-05-03T10:00:00.000Z", properties: { plan: "pro" } },
    ]);
  });

  it("a refused key fails the run with Braze's reason and the permission to check", async () => {
    const ctx = await workspaceWithRole(s);
    const table = `braze_bad_${Math.random().toString(36).slice(2, 8)}`;
    await warehouse.sql(`create table public.${table} (id int, external_id text)`);
    await warehouse.sql(`insert into public.${table} values (1, 'x')`);
    const syncId = await brazeSync(ctx, {
      query: `select * from public.${table}`,
      object: "users",
      mode: "upsert",
      config: { apiKey: "revoked-key" },
      mappings: [{ from: "external_id", to: "external_id" }],
    });
    const run = await runSync(ctx, syncId);
    expect(run.status).toBe("failed");
    expect(run.error).toMatch(/refused the delivery: Braze refused the REST API key \(HTTP 401/);
    expect(run.error).not.toContain("revoked-key");
  });
});
