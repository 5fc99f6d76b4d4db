// The benchmark's model data, built in the warehouse with generate_series: six columns including jsonb,
// the shape PLATFORM.md's "Measured here" figures were taken on.
import pg from "pg";
import { DELETE_SHARE, INSERT_SHARE, STATEMENT_TIMEOUT_MS, UPDATE_SHARE, WAREHOUSE_SCHEMA } from "./config";

export const MODEL_COLUMNS = ["id", "email", "plan", "score", "attrs", "updated_at"] as const;
/** The mapped (non-key) columns: what the engine hashes and sends besides the key. */
export const VALUE_COLUMNS = ["email", "plan", "score", "attrs", "updated_at"] as const;

export async function connectWarehouse(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url, statement_timeout: STATEMENT_TIMEOUT_MS });
  await client.connect();
  return client;
}

export function tableName(table: string): string {
  return `${pg.escapeIdentifier(WAREHOUSE_SCHEMA)}.${pg.escapeIdentifier(table)}`;
}

/** Rows `from..to` of the synthetic users table (ids are the series). */
function usersSelect(from: string, to: string): string {
  return `select g::bigint,
                 'user' || g || '@example.com',
                 (array['free', 'starter', 'pro', 'enterprise'])[1 + g % 4],
                 round((random() * 1000)::numeric, 2),
                 jsonb_build_object('country', (array['FR', 'DE', 'US', 'BR', 'JP'])[1 + g % 5],
                                    'seats', g % 50, 'beta', g % 7 = 0, 'tags', jsonb_build_array('a' || g % 13, 'b' || g % 17)),
                 now() - (g % 86400) * interval '1 second'
          from generate_series(${from}, ${to}) g`;
}

export async function buildUsersTable(client: pg.Client, table: string, rows: number): Promise<void> {
  await client.query(`create schema if not exists ${pg.escapeIdentifier(WAREHOUSE_SCHEMA)}`);
  await client.query(`drop table if exists ${tableName(table)}`);
  await client.query(`create table ${tableName(table)} (
      id bigint primary key, email text not null, plan text not null, score numeric(10, 2),
      attrs jsonb not null, updated_at timestamptz not null)`);
  await client.query(`insert into ${tableName(table)} ${usersSelect("1", String(rows))}`);
  await client.query(`vacuum analyze ${tableName(table)}`);
}

export interface AppliedChanges {
  updated: number;
  deleted: number;
  inserted: number;
}

/** 5% updates (score and updated_at), 1% deletes, 1% inserts past the last id; then vacuum, so later scans start equal. */
export async function applyChanges(client: pg.Client, table: string, rows: number): Promise<AppliedChanges> {
  const t = tableName(table);
  const every = (share: number) => Math.round(1 / share);
  const updated = await client.query(`update ${t} set score = score + 1, updated_at = now() where id % $1 = 0`, [
    every(UPDATE_SHARE),
  ]);
  // Offset 1 keeps deleted rows disjoint from updated ones (both moduli divide 100).
  const deleted = await client.query(`delete from ${t} where id % $1 = 1`, [every(DELETE_SHARE)]);
  const inserts = Math.round(rows * INSERT_SHARE);
  const inserted = await client.query(`insert into ${t} ${usersSelect(String(rows + 1), String(rows + inserts))}`);
  await client.query(`vacuum analyze ${t}`);
  return { updated: updated.rowCount ?? 0, deleted: deleted.rowCount ?? 0, inserted: inserted.rowCount ?? 0 };
}
