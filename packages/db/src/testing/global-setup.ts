// Vitest global setup: one fresh, migrated database per test run, on the PostgreSQL server named by
// DATABASE_URL (the machine's) or, when that is unset, on an embedded server under .sluice/test.
// Test files read TEST_DATABASE_URL (control plane) and TEST_ADMIN_URL (to create warehouse databases).
import { randomBytes } from "node:crypto";
import path from "node:path";
import pg from "pg";
import { type EmbeddedDatabase, startEmbeddedPostgres } from "../embedded-postgres";
import { sluiceHome } from "../home";
import { applyMigrations } from "../migrate";

let embedded: EmbeddedDatabase | undefined;
let adminUrl = "";
let dbName = "";

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

export async function setup(): Promise<void> {
  if (process.env.DATABASE_URL) {
    adminUrl = process.env.DATABASE_URL;
  } else {
    embedded = await startEmbeddedPostgres(path.join(sluiceHome(), "test"));
    adminUrl = embedded.adminUrl;
  }
  dbName = `sluice_test_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${dbName}`);
  await admin.end();
  const url = withDatabase(adminUrl, dbName);
  await applyMigrations(url);
  process.env.TEST_DATABASE_URL = url;
  process.env.TEST_ADMIN_URL = adminUrl;
}

export async function teardown(): Promise<void> {
  if (!adminUrl) return;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`drop database if exists ${dbName} with (force)`);
  // Warehouse databases made by tests carry the run's name as a prefix.
  const extra = await admin.query("select datname from pg_database where datname like $1", [`${dbName}_%`]);
  for (const row of extra.rows) await admin.query(`drop database if exists ${pg.escapeIdentifier(row.datname)} with (force)`);
  await admin.end();
  await embedded?.stop();
}
