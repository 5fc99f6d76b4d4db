// MySQL / MariaDB table destination end to end through the real engine: a Postgres warehouse model, a
// mysql-table destination in a MariaDB database of its own, syncs run with runSync. After each run the
// destination table equals the model (less the rows the destination rejected, each with the server's reason).
import { randomBytes } from "node:crypto";
import { closeMysqlTablePools } from "@sluice/connectors/destinations/mysql-table/connect";
import type { MappingSpec } from "@sluice/contracts/mapping";
import type { SyncMode } from "@sluice/contracts/sync-config";
import { testDatabaseUrl, uniqueName } from "@sluice/db/testing";
import mysql from "mysql2/promise";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { WorkspaceContext } from "../../context";
import { createDestination } from "../../destinations/create-destination";
import { ensureQueue } from "../../queue/ensure-queue";
import { createSource } from "../../sources/create-source";
import { testServices, workspaceWithRole } from "../../testing/fixtures";
import { runSync, Warehouse } from "../testing/fixtures";

const s = testServices({ allowPrivateDestinations: true });
const database = `sluice_e2e_${randomBytes(4).toString("hex")}`;
let warehouse: Warehouse;
let dest: mysql.Connection;

const MAPPINGS: MappingSpec = [
  { from: "id", to: "id" },
  { from: "email", to: "email" },
  { from: "plan", to: "plan" },
  { from: "score", to: "score", cast: "number" },
];

beforeAll(async () => {
  await ensureQueue(testDatabaseUrl());
  warehouse = await Warehouse.create("mysqltable_wh");
  dest = await mysql.createConnection({ host: "127.0.0.1", port: 3306, user: "root", password: "" });
  await dest.query(`CREATE DATABASE \`${database}\``);
  await dest.query(`USE \`${database}\``);
});
afterAll(async () => {
  await closeMysqlTablePools();
  await dest.query(`DROP DATABASE IF EXISTS \`${database}\``);
  await dest.end();
  await warehouse.close();
});

async function tableSync(
  ctx: WorkspaceContext,
  o: { model: string; mode: SyncMode; config: Record<string, unknown> },
): Promise<string> {
  const source = await createSource(ctx, {
    name: uniqueName("wh"),
    type: "postgres",
    config: { connectionString: warehouse.url, sslMode: "disable" },
  });
  const destination = await createDestination(ctx, {
    name: uniqueName("mysqltable"),
    type: "mysql-table",
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
  });
  const model = await ctx.db.model.create({
    data: {
      workspaceId: ctx.workspaceId,
      sourceId: source.id,
      name: uniqueName("model"),
      query: `select id, email, plan, score, note from public.${o.model}`,
      primaryKey: ["id"],
    },
  });
  const sync = await ctx.db.sync.create({
    data: {
      workspaceId: ctx.workspaceId,
      name: uniqueName("sync"),
      modelId: model.id,
      destinationId: destination.id,
      object: "rows",
      mode: o.mode,
      mappings: MAPPINGS,
      schedule: { type: "manual" },
    },
  });
  return sync.id;
}

async function modelTable(): Promise<string> {
  const name = `customers_${Math.random().toString(36).slice(2, 8)}`;
  await warehouse.sql(`create table public.${name} (id int, email text, plan text, score text, note text)`);
  await warehouse.sql(
    `insert into public.${name} values
      (1, 'a@x.io', 'free', '10', 'n1'), (2, 'b@x.io', 'pro', '20', 'n2'), (3, 'c@x.io', 'free', '30', 'n3'),
      (4, 'd@x.io', 'pro', '40', 'n4'), (5, null, 'free', '50', 'no email yet'), (null, 'nokey@x.io', 'free', '0', 'n')`,
  );
  return name;
}

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
