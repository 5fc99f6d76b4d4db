// Helpers for tests that need the control-plane database (see global-setup.ts).
import { randomBytes } from "node:crypto";
import pg from "pg";
import { createDb, type Db } from "../client";
import { withDatabase } from "./global-setup";

export function testDatabaseUrl(): string {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error("TEST_DATABASE_URL is unset: run tests through vitest (its global setup creates the database)");
  return url;
}

let shared: Db | undefined;
/** One Prisma client per test file, on the run's migrated database. */
export function testDb(): Db {
  shared ??= createDb(testDatabaseUrl(), { maxConnections: 4 });
  return shared;
}

/** A unique suffix so parallel test files never collide on names and slugs. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString("hex")}`;
}

/**
 * Creates an empty scratch database on the test server (e.g. a warehouse for a test) and returns
 * its URL. It is dropped with the run's database at teardown.
 */
export async function createScratchDatabase(label: string): Promise<string> {
  const admin = process.env.TEST_ADMIN_URL;
  if (!admin) throw new Error("TEST_ADMIN_URL is unset: run tests through vitest");
  const base = new URL(testDatabaseUrl()).pathname.slice(1);
  const name = `${base}_${label.replace(/[^a-z0-9_]/gi, "_").toLowerCase()}_${randomBytes(3).toString("hex")}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  await client.query(`create database ${pg.escapeIdentifier(name)}`);
  await client.end();
  return withDatabase(admin, name);
}
