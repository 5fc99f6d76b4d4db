// HubSpot end to end through the real engine: a Postgres warehouse table, a hubspot destination pointing at
// the emulator (written from HubSpot's docs), syncs run with runSync. After each run the emulator's live
// contacts equal the model's rows (upsert keeps what left the model; mirror archives it).
import { EMULATOR_TOKEN, type HubSpotEmulator, startHubSpotEmulator } from "@sluice/connectors/destinations/hubspot/emulator";
import type { MappingSpec } from "@sluice/contracts/mapping";
import type { SyncMode } from "@sluice/contracts/sync-config";
import { testDatabaseUrl } from "@sluice/db/testing";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { WorkspaceContext } from "../../context";
import { ensureQueue } from "../../queue/ensure-queue";
import { testServices, workspaceWithRole } from "../../testing/fixtures";
import { createDestinationSync, runSync, Warehouse } from "../testing/fixtures";

const s = testServices({ allowPrivateDestinations: true });
let warehouse: Warehouse;
let hubspot: HubSpotEmulator;

const MAPPINGS: MappingSpec = [
  { from: "email", to: "email" },
  { from: "first_name", to: "firstname" },
  { from: "plan", to: "plan" },
  { from: "score", to: "score", cast: "number" },
];

beforeAll(async () => {
  await ensureQueue(testDatabaseUrl());
  warehouse = await Warehouse.create("hubspot");
});
afterAll(async () => {
  await warehouse.close();
});
beforeEach(async () => {
  hubspot = await startHubSpotEmulator({
    properties: {
      contacts: [
        {
          name: "plan",
          label: "Plan",
          type: "enumeration",
          fieldType: "select",
          options: ["free", "pro", "trial"].map((value) => ({ label: value, value })),
        },
        { name: "score", label: "Score", type: "number" },
      ],
    },
  });
});
afterEach(async () => {
  await hubspot.close();
});

async function contactsTable(): Promise<string> {
  const table = `hs_contacts_${Math.random().toString(36).slice(2, 8)}`;
  await warehouse.sql(`create table public.${table} (id int, email text, first_name text, plan text, score text)`);
  await warehouse.sql(
    `insert into public.${table} select g, 'u' || g || '@x.io', 'User ' || g, 'free', (g * 10)::text from generate_series(1, 7) g`,
  );
  return table;
}

async function hubspotSync(
  ctx: WorkspaceContext,
  o: { table: string; mode: SyncMode; config?: Record<string, unknown> },
): Promise<string> {
  const { syncId } = await createDestinationSync(ctx, {
    warehouseUrl: warehouse.url,
    query: `select id, email, first_name, plan, score from public.${o.table}`,
    primaryKey: ["id"],
    destination: { type: "hubspot", config: { accessToken: EMULATOR_TOKEN, baseUrl: hubspot.url, ...o.config } },
    object: "contacts",
    mode: o.mode,
    mappings: MAPPINGS,
  });
  return syncId;
}

type Contact = { firstname: string; plan: string; score: string };

/** The contacts HubSpot should hold for these rows: by email, null columns as "" (cleared). */
async function expected(table: string, where = "true"): Promise<Record<string, Contact>> {
  const { rows } = await warehouse.sql(`select email, first_name, plan, score from public.${table} where ${where} order by id`);
  return Object.fromEntries(
    rows.map((r) => [
      r.email,
      { firstname: r.first_name ?? "", plan: r.plan ?? "", score: r.score === null ? "" : String(Number(r.score)) },
    ]),
  );
}

function live(): Record<string, Contact> {
  return Object.fromEntries(
    hubspot
      .records("contacts")
      .map((c) => [
        c.properties.email,
        { firstname: c.properties.firstname ?? "", plan: c.properties.plan ?? "", score: c.properties.score ?? "" },
      ]),
  );
}

describe("hubspot end to end", () => {
  it("upsert: contacts follow the model's inserts and changes; a bad row is rejected with HubSpot's reason", async () => {
    const ctx = await workspaceWithRole(s);
    const table = await contactsTable();
    await warehouse.sql(`update public.${table} set email = 'not-an-email' where id = 7`);
    const syncId = await hubspotSync(ctx, { table, mode: "upsert" });

    const first = await runSync(ctx, syncId);
    expect(first).toMatchObject({ status: "succeeded", counts: { delivered: 6, rejected: 1, failed: 0 } });
    expect(live()).toEqual(await expected(table, "id <> 7"));
    const outcomes = await s.db.recordOutcome.findMany({ where: { runId: first.id } });
    expect(outcomes.map((o) => [o.status, o.reason])).toEqual([
      ["rejected", expect.stringMatching(/Email address not-an-email is invalid \(INVALID_EMAIL\) \[VALIDATION_ERROR\]/)],
    ]);
    expect(hubspot.requests.every((r) => r.path === "/crm/v3/objects/contacts/batch/upsert")).toBe(true);

    await warehouse.sql(`update public.${table} set plan = 'pro', first_name = null where id = 2`);
    await warehouse.sql(`update public.${table} set email = 'u7@x.io' where id = 7`);
    await warehouse.sql(`delete from public.${table} where id = 3`);
    await warehouse.sql(`insert into public.${table} values (8, 'u8@x.io', 'User 8', 'trial', '80')`);
    const second = await runSync(ctx, syncId);
    expect(second).toMatchObject({ status: "succeeded", counts: { delivered: 3, rejected: 0, failed: 0 } });
    // Upsert never deletes: u3 stays in HubSpot though it left the model.
    expect(live()).toEqual({ ...(await expected(table)), "u3@x.io": { firstname: "User 3", plan: "free", score: "30" } });
    expect(live()["u2@x.io"]).toEqual({ firstname: "", plan: "pro", score: "20" });
    expect(hubspot.stats.rateLimited).toBe(0);
  });

  it("mirror: deletes archive the contacts (looked up by email), through a 429 storm, nothing lost", async () => {
    const ctx = await workspaceWithRole(s);
    const table = await contactsTable();
    const syncId = await hubspotSync(ctx, { table, mode: "mirror" });

    const first = await runSync(ctx, syncId);
    expect(first).toMatchObject({ status: "succeeded", counts: { delivered: 7, rejected: 0, failed: 0 } });
    expect(live()).toEqual(await expected(table));

    await warehouse.sql(`update public.${table} set plan = 'pro' where id = 2`);
    await warehouse.sql(`delete from public.${table} where id in (4, 5)`);
    await warehouse.sql(`insert into public.${table} values (8, 'u8@x.io', 'User 8', 'trial', '80')`);
    hubspot.requests.length = 0;
    hubspot.stormFromNextRequest(300);
    const second = await runSync(ctx, syncId);
    expect(second).toMatchObject({ status: "succeeded", counts: { delivered: 4, rejected: 0, failed: 0 } });
    expect(hubspot.stats.stormed).toBeGreaterThan(0);
    expect(live()).toEqual(await expected(table));
    expect(
      hubspot
        .archived("contacts")
        .map((c) => c.properties.email)
        .sort(),
    ).toEqual(["u4@x.io", "u5@x.io"]);
    const paths = hubspot.requests.filter((r) => r.status < 300).map((r) => r.path.split("/").pop());
    expect(paths.sort()).toEqual(["archive", "read", "upsert"]);

    hubspot.requests.length = 0;
    const third = await runSync(ctx, syncId);
    expect(third).toMatchObject({ status: "succeeded", counts: { delivered: 0 } });
    expect(hubspot.requests).toEqual([]);
  });

  it("a refused token fails the run with what to check, and the token never appears in it", async () => {
    const ctx = await workspaceWithRole(s);
    const table = await contactsTable();
    const syncId = await hubspotSync(ctx, { table, mode: "upsert", config: { accessToken: "pat-na1-revoked-token" } });
    const run = await runSync(ctx, syncId);
    expect(run.status).toBe("failed");
    expect(run.error).toMatch(
      /refused the delivery: HubSpot did not accept the access token \(HTTP 401.*crm\.objects\.contacts\.write/,
    );
    expect(run.error).not.toContain("pat-na1-revoked-token");
  });
});
