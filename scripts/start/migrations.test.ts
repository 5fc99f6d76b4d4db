import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createScratchDatabase, testDatabaseUrl } from "@sluice/db/testing";
import { describe, expect, it } from "vitest";
import { migrationNames, pendingMigrations } from "./migrations";

describe("pendingMigrations", () => {
  it("is empty for the migrated test database", async () => {
    expect(migrationNames().length).toBeGreaterThan(0);
    expect(await pendingMigrations(testDatabaseUrl())).toEqual([]);
  });

  it("lists every migration for an empty database", async () => {
    const url = await createScratchDatabase("pending");
    expect(await pendingMigrations(url)).toEqual(migrationNames());
  });

  it("lists a migration the database has not seen", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "sluice-migrations-"));
    for (const name of [...migrationNames(), "29991231000000_future"]) {
      mkdirSync(path.join(dir, name));
      writeFileSync(path.join(dir, name, "migration.sql"), "select 1;");
    }
    expect(await pendingMigrations(testDatabaseUrl(), dir)).toEqual(["29991231000000_future"]);
  });
});
