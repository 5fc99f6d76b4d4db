// The engine's warehouse work as raw statements, to judge its SQL overhead: the snapshot (pk, mapped
// columns, md5 of the row; then its primary key) and the full-outer-join diff ordered and keyed by pk.
import { performance } from "node:perf_hooks";
import pg from "pg";
import { BARE_SCHEMA } from "./config";
import { tableName, VALUE_COLUMNS } from "./warehouse-data";

const ident = (name: string) => pg.escapeIdentifier(name);
const bare = (name: string) => `${ident(BARE_SCHEMA)}.${ident(name)}`;
const HASHED = ["id", ...VALUE_COLUMNS].sort(); // as the engine hashes: pk + mapped columns, sorted by name

export interface Timed {
  ms: number;
  rows: number;
}

async function timed(client: pg.Client, steps: string[]): Promise<Timed> {
  const started = performance.now();
  let rows = 0;
  for (const sql of steps) {
    const r = await client.query(sql);
    if (r.command === "SELECT") rows = r.rowCount ?? rows;
  }
  return { ms: performance.now() - started, rows };
}

export async function resetBareSchema(client: pg.Client): Promise<void> {
  await client.query(`drop schema if exists ${ident(BARE_SCHEMA)} cascade`);
  await client.query(`create schema ${ident(BARE_SCHEMA)}`);
}

/** create table as select pk, columns, md5(row(...)); add primary key; analyze. */
export function bareSnapshot(client: pg.Client, source: string, snapshot: string): Promise<Timed> {
  const cols = ["id", ...VALUE_COLUMNS].map(ident).join(", ");
  return timed(client, [
    `drop table if exists ${bare(snapshot)}`,
    `create table ${bare(snapshot)} as
       select ${cols}, md5(row(${HASHED.map((c) => `m.${ident(c)}`).join(", ")})::text) as h
       from (select * from ${tableName(source)}) m`,
    `alter table ${bare(snapshot)} add primary key (id)`,
    `analyze ${bare(snapshot)}`,
  ]);
}

/**
 * Full outer join on pk, keeping what an upsert sync delivers (added and changed); ordered and keyed by
 * pk, as delivery pages through it. `ops` mirrors the engine's filter for the sync's mode.
 */
export function bareDiff(
  client: pg.Client,
  o: { snapshot: string; committed: string; diff: string; ops: ("added" | "changed" | "removed")[] },
): Promise<Timed> {
  const wanted: string[] = [];
  if (o.ops.includes("added")) wanted.push("c.id is null");
  if (o.ops.includes("changed")) wanted.push("(s.id is not null and c.id is not null and s.h is distinct from c.h)");
  if (o.ops.includes("removed")) wanted.push("s.id is null");
  const values = VALUE_COLUMNS.map((c) => `s.${ident(c)}`).join(", ");
  return timed(client, [
    `drop table if exists ${bare(o.diff)}`,
    `create table ${bare(o.diff)} as
       select case when c.id is null then 'added' when s.id is null then 'removed' else 'changed' end as op,
              coalesce(s.id, c.id) as id, s.h, c.h as prev_h, ${values}
       from ${bare(o.snapshot)} s full join ${bare(o.committed)} c on s.id = c.id
       where ${wanted.join(" or ") || "false"}
       order by 2`,
    `alter table ${bare(o.diff)} add primary key (id)`,
  ]);
}

export async function countRows(client: pg.Client, table: string): Promise<number> {
  const { rows } = await client.query<{ n: string }>(`select count(*) as n from ${bare(table)}`);
  return Number(rows[0]?.n ?? 0);
}

/** The bare pipe's query over a bare diff table: the changed rows with the op an upsert sends. */
export function diffPipeQuery(diff: string): string {
  const values = VALUE_COLUMNS.map(ident).join(", ");
  return `select case op when 'added' then 'insert' when 'changed' then 'update' else 'delete' end as op, id, ${values}
          from ${bare(diff)} order by id`;
}
