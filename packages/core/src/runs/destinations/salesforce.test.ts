// Salesforce end to end through the real engine: a Postgres warehouse table, a salesforce destination
// signing in with the JWT bearer flow to the emulated org, syncs run with runSync. After each run the
// org's Contacts equal the model (mirror), through a session that expires mid-run; a large batch goes
// through a Bulk API 2.0 ingest job.
import { type SalesforceEmulator, startSalesforceEmulator } from "@sluice/connectors/destinations/salesforce/emulator";
import { rsaKeyPair } from "@sluice/connectors/destinations/salesforce/testing";
import type { MappingSpec } from "@sluice/contracts/mapping";
import type { SyncMode } from "@sluice/contracts/sync-config";
import { testDatabaseUrl } from "@sluice/db/testing";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { WorkspaceContext } from "../../context";
import { ensureQueue } from "../../queue/ensure-queue";
import { testServices, workspaceWithRole } from "../../testing/fixtures";
import { createDestinationSync, runSync, Warehouse } from "../testing/fixtures";

const s = testServices({ allowPrivateDestinations: true });
const keys = rsaKeyPair();
let warehouse: Warehouse;
let org: SalesforceEmulator;

beforeAll(async () => {
  await ensureQueue(testDatabaseUrl());
  warehouse = await Warehouse.create("salesforce");
});
afterAll(async () => {
  await warehouse.close();
});
beforeEach(async () => {
  org = await startSalesforceEmulator({ publicKeyPem: keys.publicKeyPem, bulkPollsBeforeComplete: 1 });
});
afterEach(async () => {
  await org.close();
});

const MAPPINGS: MappingSpec = [
  { from: "ext_id", to: "External_Id__c" },
  { from: "first_name", to: "FirstName" },
  { from: "last_name", to: "LastName" },
  { from: "email", to: "Email" },
  { from: "title", to: "Title" },
];
const FIELDS = ["External_Id__c", "FirstName", "LastName", "Email", "Title"] as const;

async function salesforceSync(
  ctx: WorkspaceContext,
  o: { table: string; mode: SyncMode; config?: Record<string, unknown> },
): Promise<string> {
  const { syncId } = await createDestinationSync(ctx, {
    warehouseUrl: warehouse.url,
    query: `select id, ext_id, first_name, last_name, email, title from public.${o.table}`,
    primaryKey: ["id"],
    destination: {
      type: "salesforce",
      config: {
        authFlow: "jwt",
        loginUrl: org.url,
        consumerKey: "3MVG9-sluice-test-consumer-key",
        username: "integration@sluice.test",
        privateKey: keys.privateKeyPem,
        ...o.config,
      },
    },
    object: "contacts",
    mode: o.mode,
    mappings: MAPPINGS,
  });
  return syncId;
}

async function createTable(rows: number): Promise<string> {
  const table = `sf_contacts_${Math.random().toString(36).slice(2, 8)}`;
  await warehouse.sql(
    `create table public.${table} (id int primary key, ext_id text, first_name text, last_name text, email text, title text)`,
  );
  await warehouse.sql(
    `insert into public.${table}
       select g, 'cust-' || g, 'First' || g, 'Last' || g, 'u' || g || '@example.com', case when g % 2 = 0 then 'CTO' end
       from generate_series(1, $1::int) g`,
    [rows],
  );
  return table;
}

/** The Contacts the org should hold: one per row (rows listed in `except` are not there). */
async function expectedContacts(table: string, except: number[] = []) {
  const { rows } = await warehouse.sql(
    `select ext_id, first_name, last_name, email, title from public.${table} where not (id = any($1::int[])) order by ext_id`,
    [except],
  );
  return rows.map((r) => ({
    External_Id__c: r.ext_id,
    FirstName: r.first_name,
    LastName: r.last_name,
    Email: r.email,
    Title: r.title,
  }));
}

function storedContacts() {
  return org
    .records("Contact")
    .map((c) => Object.fromEntries(FIELDS.map((f) => [f, c[f] ?? null])))
    .sort((a, b) => String(a.External_Id__c).localeCompare(String(b.External_Id__c)));
}

describe("salesforce end to end", () => {
  it("mirror: Contacts follow the model — creates, updates, nulls, deletes — through an expired session", async () => {
    const ctx = await workspaceWithRole(s);
    const table = await createTable(7);
    const syncId = await salesforceSync(ctx, { table, mode: "mirror" });

    const first = await runSync(ctx, syncId);
    expect(first).toMatchObject({ status: "succeeded", counts: { delivered: 7, rejected: 0, failed: 0 } });
    expect(storedContacts()).toEqual(await expectedContacts(table));
    expect(org.logins).toBe(1);

    await warehouse.sql(`update public.${table} set title = 'VP Sales' where id = 1`);
    await warehouse.sql(`update public.${table} set title = null where id = 2`);
    await warehouse.sql(`delete from public.${table} where id in (4, 5)`);
    await warehouse.sql(`insert into public.${table} values (8, 'cust-8', 'Eight', 'Last8', 'u8@example.com', 'CFO')`);
    await warehouse.sql(`insert into public.${table} values (9, 'cust-9', 'Nine', 'Last9', 'not-an-email', null)`);
    org.expireSessions(1); // the delete lookup gets through, then the session ends
    const second = await runSync(ctx, syncId);
    expect(second).toMatchObject({ status: "succeeded", counts: { delivered: 5, rejected: 1, failed: 0 } });
    expect(org.logins).toBe(3);
    expect(storedContacts()).toEqual(await expectedContacts(table, [9]));
    expect(storedContacts().find((c) => c.External_Id__c === "cust-2")?.Title).toBeNull();

    const quiet = await runSync(ctx, syncId);
    expect(quiet).toMatchObject({ status: "succeeded", counts: { delivered: 0, rejected: 0, failed: 0 } });
    expect(storedContacts()).toEqual(await expectedContacts(table, [9]));
  });

  it("upsert: a batch over the bulk threshold goes through one Bulk API 2.0 job", async () => {
    const ctx = await workspaceWithRole(s);
    const table = await createTable(30);
    await warehouse.sql(`update public.${table} set last_name = null where id = 7`);
    const syncId = await salesforceSync(ctx, { table, mode: "upsert", config: { useBulkApi: true, bulkThreshold: 20 } });

    const run = await runSync(ctx, syncId);
    expect(run).toMatchObject({ status: "succeeded", counts: { delivered: 29, rejected: 1, failed: 0 } });
    expect(org.jobs.size).toBe(1);
    expect([...org.jobs.values()][0]).toMatchObject({ operation: "upsert", state: "JobComplete", processed: 30, failed: 1 });
    expect(storedContacts()).toEqual(await expectedContacts(table, [7]));
  });
});
