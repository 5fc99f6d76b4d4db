// PostgreSQL table destination end to end through the real engine: a Postgres warehouse model, a
// postgres-table destination in another database, syncs run with runSync. After each run the destination
// table equals the model (less the rows the destination rejected, each with PostgreSQL's reason).
import { closePostgresTablePools } from "@sluice/connectors/destinations/postgres-table/connect";
import type { SyncMode } from "@sluice/contracts/sync-config";
import { createScratchDatabase, testDatabaseUrl } from "@sluice/db/testing";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { WorkspaceContext } from "../../context";
import { ensureQueue } from "../../queue/ensure-queue";
import { testServices, workspaceWithRole } from "../../testing/fixtures";
import { runSync, Warehouse } from "../testing/fixtures";
import { customersModelTable, tableDestinationSync } from "../testing/table-destination";

const s = testServices({ allowPrivateDestinations: true });
let warehouse: Warehouse;
let destUrl: string;
let dest: pg.Client;

beforeAll(async () => {
  await ensureQueue(testDatabaseUrl());
  warehouse = await Warehouse.create("pgtable_wh");
  destUrl = await createScratchDatabase("pgtable_dest");
  dest = new pg.Client({ connectionString: destUrl });
  await dest.connect();
});
afterAll(async () => {
  await closePostgresTablePools();
  await dest.end();
  await warehouse.close();
});

function tableSync(
  ctx: WorkspaceContext,
  o: { model: string; mode: SyncMode; config: Record<string, unknown> },
): Promise<string> {
  return tableDestinationSync(ctx, warehouse, {
    model: o.model,
    mode: o.mode,
    destination: {
      type: "postgres-table",
      name: "pgtable",
      config: { connectionString: destUrl, sslMode: "disable", keyColumns: "id", batchSize: 2, ...o.config },
    },
  });
}

const modelTable = () => customersModelTable(warehouse);

/** The model's rows as the destination should hold them: rows without an email are rejected by NOT NULL. */
async function expected(model: string): Promise<unknown[][]> {
  const { rows } = await warehouse.sql(
    `select id, email, plan, score::numeric as score from public.${model} where id is not null and email is not null order by id`,
  );
  return rows.map((r) => [r.id, r.email, r.plan, r.score]);
}

async function actual(schema: string, table: string): Promise<unknown[][]> {
  const { rows } = await dest.query(`select id, email, plan, score from "${schema}"."${table}" order by id`);
  return rows.map((r) => [r.id, r.email, r.plan, r.score]);
}

describe("postgres-table end to end", () => {
  it("mirror: the destination table equals the model after inserts, updates and deletes", async () => {
    const ctx = await workspaceWithRole(s, "owner");
    const model = await modelTable();
    const table = `dest_${model}`;
    await dest.query(
      `create table public.${table} (id int primary key, email text not null, plan text, score numeric, synced_at timestamptz default now())`,
    );
    const syncId = await tableSync(ctx, { model, mode: "mirror", config: { table } });

    const first = await runSync(ctx, syncId);
    expect(first).toMatchObject({ status: "succeeded", error: null });
    expect(first.counts).toMatchObject({ delivered: 4, rejected: 2, failed: 0 });
    expect(await actual("public", table)).toEqual(await expected(model));
    const reasons = await s.db.recordOutcome.findMany({ where: { runId: first.id }, orderBy: { reason: "asc" } });
    expect(reasons.map((r) => r.reason)).toEqual([
      expect.stringMatching(/null primary key/),
      expect.stringContaining('null value in column "email"'),
    ]);

    await warehouse.sql(`update public.${model} set plan = 'enterprise', score = '21' where id = 2`);
    await warehouse.sql(`update public.${model} set note = 'not mapped' where id = 3`);
    await warehouse.sql(`delete from public.${model} where id = 4`);
    await warehouse.sql(`insert into public.${model} values (8, 'h@x.io', 'free', '80', 'n8'), (9, 'i@x.io', null, null, 'n9')`);
    await warehouse.sql(`update public.${model} set email = 'e@x.io' where id = 5`);
    await dest.query(`update public.${table} set plan = 'tampered' where id = 1`); // not in the diff: left alone

    const second = await runSync(ctx, syncId);
    expect(second).toMatchObject({ status: "succeeded" });
    // 2 changed, 4 removed, 8 and 9 added, 5 fixed (rejected rows are retried once they change).
    expect(second.counts).toMatchObject({ delivered: 5, failed: 0 });
    const want = (await expected(model)).map((r) => (r[0] === 1 ? [1, "a@x.io", "tampered", "10"] : r));
    expect(await actual("public", table)).toEqual(want);

    const third = await runSync(ctx, syncId);
    // Nothing changed: nothing is sent (the null-key row is quarantined again by the engine, every run).
    expect(third.counts).toMatchObject({ delivered: 0, rejected: 1, failed: 0 });
    expect(await actual("public", table)).toEqual(want);
  });

  it("upsert with createTable: the first run creates the table, later runs upsert into it", async () => {
    const ctx = await workspaceWithRole(s, "owner");
    const model = await modelTable();
    await warehouse.sql(`update public.${model} set email = 'e@x.io' where id = 5`);
    const table = `created_${model}`;
    const syncId = await tableSync(ctx, { model, mode: "upsert", config: { table, schema: "made", createTable: true } });

    const first = await runSync(ctx, syncId);
    expect(first).toMatchObject({ status: "succeeded" });
    expect(first.counts).toMatchObject({ delivered: 5, rejected: 1, failed: 0 });
    const { rows: types } = await dest.query(
      `select column_name, data_type from information_schema.columns where table_schema = 'made' and table_name = $1 order by 1`,
      [table],
    );
    expect(types.map((t) => [t.column_name, t.data_type])).toEqual([
      ["email", "text"],
      ["id", "bigint"],
      ["plan", "text"],
      ["score", "bigint"],
    ]);
    const rows = async () =>
      (await actual("made", table)).map(([id, email, plan, score]) => [Number(id), email, plan, Number(score)]);
    const want = async () => (await expected(model)).map(([id, email, plan, score]) => [id, email, plan, Number(score)]);
    expect(await rows()).toEqual(await want());

    await warehouse.sql(`update public.${model} set plan = 'pro' where id = 1`);
    await warehouse.sql(`insert into public.${model} values (7, 'g@x.io', 'free', '70', 'n7')`);
    const second = await runSync(ctx, syncId);
    expect(second.counts).toMatchObject({ delivered: 2, failed: 0 });
    expect(await rows()).toEqual(await want());
  });
});
