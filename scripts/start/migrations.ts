// Applies pending migrations on start. `prisma migrate deploy` runs Prisma's wasm engine and takes ~10 s
// even when there is nothing to do, so first compare prisma/migrations with the _prisma_migrations table
// and skip Prisma when every migration is already applied (the common restart).
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { PROJECT_ROOT } from "../../packages/db/src/home";
import { applyMigrations } from "../../packages/db/src/migrate";

export function migrationNames(dir = path.join(PROJECT_ROOT, "prisma", "migrations")): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(path.join(dir, d.name, "migration.sql")))
    .map((d) => d.name)
    .sort();
}

/** Names of migrations in `dir` that the database has not finished applying. */
export async function pendingMigrations(databaseUrl: string, dir?: string): Promise<string[]> {
  const all = migrationNames(dir);
  const client = new pg.Client({ connectionString: databaseUrl });
  client.on("error", () => {});
  await client.connect();
  try {
    const table = await client.query("select to_regclass('_prisma_migrations') is not null as present");
    if (!table.rows[0]?.present) return all;
    const applied = await client.query<{ migration_name: string }>(
      "select migration_name from _prisma_migrations where finished_at is not null and rolled_back_at is null",
    );
    const done = new Set(applied.rows.map((r) => r.migration_name));
    return all.filter((name) => !done.has(name));
  } finally {
    await client.end().catch(() => {});
  }
}

export async function migrateIfNeeded(databaseUrl: string): Promise<{ applied: string[] }> {
  const pending = await pendingMigrations(databaseUrl);
  if (pending.length === 0) return { applied: [] };
  await applyMigrations(databaseUrl);
  return { applied: pending };
}
