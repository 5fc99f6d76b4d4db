// MySQL / MariaDB table destination end to end through the real engine: a Postgres warehouse model, a
// mysql-table destination in a MariaDB database of its own, syncs run with runSync. After each run the
// destination table equals the model (less the rows the destination rejected, each with the server's reason).
import { randomBytes } from "node:crypto";
import { closeMysqlTablePools } from "@sluice/connectors/destinations/mysql-table/connect";
import { createMysqlScratchDatabase, dropMysqlScratchDatabase } from "@sluice/connectors/destinations/mysql-table/testing";
import type { SyncMode } from "@sluice/contracts/sync-config";
import { testDatabaseUrl } from "@sluice/db/testing";
import type mysql from "mysql2/promise";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { WorkspaceContext } from "../../context";
import { ensureQueue } from "../../queue/ensure-queue";
import { testServices, workspaceWithRole } from "../../testing/fixtures";
import { runSync, Warehouse } from "../testing/fixtures";
import { customersModelTable, tableDestinationSync } from "../testing/table-destination";

const s = testServices({ allowPrivateDestinations: true });
const database = `sluice_e2e_${randomBytes(4).toString("hex")}`;
let warehouse: Warehouse;
let dest: mysql.Connection;

beforeAll(async () => {
  await ensureQueue(testDatabaseUrl());
  warehouse = await Warehouse.create("mysqltable_wh");
  dest = await createMysqlScratchDatabase(database);
});
afterAll(async () => {
  await closeMysqlTablePools();
  await dropMysqlScratchDatabase(dest, database);
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
      type: "mysql-table",
      name: "mysqltable",
      config: {
        host: "127.0.0.1",
        database,
        user: "root",
        password: "",
        ssl: "disable",
        keyColumns: "id",
        batchSize: 2,
        ...o.config,
      },
    },
  });
}

const modelTable = () => customersModelTable(warehouse);

/** The model's rows as the destination should hold them: rows without an email are rejected by NOT NULL. */
async function expected(model: string): Promise<unknown[][]> {
  const { rows } = await warehouse.sql(
    `select id, email, plan, score from public.${model} where id is not null and email is not null order by id`,
  );
  return rows.map((r) => [r.id, r.email, r.plan, r.score === null ? null : Number(r.score)]);
}

async function actual(table: string): Promise<unknown[][]> {
  const [rows] = await dest.query<mysql.RowDataPacket[]>(`SELECT id, email, plan, score FROM \`${table}\` ORDER BY id`);
  return rows.map((r) => [Number(r.id), r.email, r.plan, r.score === null ? null : Number(r.score)]);
}

describe("mysql-table end to end", () => {
  it("mirror: the destination table equals the model after inserts, updates and deletes", async () => {
    const ctx = await workspaceWithRole(s, "owner");
    const model = await modelTable();
    const table = `dest_${model}`;
    await dest.query(
      `CREATE TABLE \`${table}\` (id INT PRIMARY KEY, email VARCHAR(100) NOT NULL, plan TEXT, score DECIMAL(10,2),
         synced_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP) ENGINE=InnoDB`,
    );
    const syncId = await tableSync(ctx, { model, mode: "mirror", config: { table } });

    const first = await runSync(ctx, syncId);
    expect(first).toMatchObject({ status: "succeeded", error: null });
    expect(first.counts).toMatchObject({ delivered: 4, rejected: 2, failed: 0 });
    expect(await actual(table)).toEqual(await expected(model));
    const reasons = await s.db.recordOutcome.findMany({ where: { runId: first.id }, orderBy: { reason: "asc" } });
    expect(reasons.map((r) => r.reason).sort()).toEqual([
      "Column 'email' cannot be null",
      expect.stringMatching(/null primary key/),
    ]);

    await warehouse.sql(`update public.${model} set plan = 'enterprise', score = '21' where id = 2`);
    await warehouse.sql(`update public.${model} set note = 'not mapped' where id = 3`);
    await warehouse.sql(`delete from public.${model} where id = 4`);
    await warehouse.sql(`insert into public.${model} values (8, 'h@x.io', 'free', '80', 'n8'), (9, 'i@x.io', null, null, 'n9')`);
    await warehouse.sql(`update public.${model} set email = 'e@x.io' where id = 5`);

    const second = await runSync(ctx, syncId);
    expect(second).toMatchObject({ status: "succeeded" });
    expect(second.counts).toMatchObject({ delivered: 5, failed: 0 });
    expect(await actual(table)).toEqual(await expected(model));

    const third = await runSync(ctx, syncId);
    expect(third.counts).toMatchObject({ delivered: 0, failed: 0 });
    expect(await actual(table)).toEqual(await expected(model));
  });

  it("upsert with createTable: the first run creates the table, later runs upsert into it", async () => {
    const ctx = await workspaceWithRole(s, "owner");
    const model = await modelTable();
    await warehouse.sql(`update public.${model} set email = 'e@x.io' where id = 5`);
    const table = `created_${model}`;
    const syncId = await tableSync(ctx, { model, mode: "upsert", config: { table, createTable: true } });

    const first = await runSync(ctx, syncId);
    expect(first.counts).toMatchObject({ delivered: 5, rejected: 1, failed: 0 });
    const [columns] = await dest.query<mysql.RowDataPacket[]>(
      `SELECT COLUMN_NAME AS name, COLUMN_TYPE AS type, COLUMN_KEY AS k FROM information_schema.COLUMNS
       WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY COLUMN_NAME`,
      [database, table],
    );
    expect(columns.map((c) => [c.name, c.type, c.k])).toEqual([
      ["email", "text", ""],
      ["id", "bigint(20)", "PRI"],
      ["plan", "text", ""],
      ["score", "bigint(20)", ""],
    ]);
    expect(await actual(table)).toEqual(await expected(model));

    await warehouse.sql(`update public.${model} set plan = 'pro' where id = 1`);
    await warehouse.sql(`insert into public.${model} values (7, 'g@x.io', 'free', '70', 'n7')`);
    const second = await runSync(ctx, syncId);
    expect(second.counts).toMatchObject({ delivered: 2, failed: 0 });
    expect(await actual(table)).toEqual(await expected(model));
  });
});
