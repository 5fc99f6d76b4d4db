import { mkdtempSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { migrationsPending, RuntimeConfigError, resolveEncryptionKey, resolveRuntimeConfig } from "./runtime-config";
import { testDatabaseUrl } from "./testing";

const home = () => mkdtempSync(path.join(tmpdir(), "sluice-runtime-"));

describe("resolveRuntimeConfig", () => {
  it("uses DATABASE_URL and a key file created once under the home (0600), and hands both to child processes", async () => {
    const dir = home();
    const env = { DATABASE_URL: testDatabaseUrl(), SLUICE_HOME: dir, SLUICE_ENCRYPTION_KEY_PREVIOUS: " a , b " };
    const first = await resolveRuntimeConfig(env);
    expect(first.databaseUrl).toBe(testDatabaseUrl());
    expect(first.embedded).toBeUndefined();
    expect(first.previousKeys).toEqual(["a", "b"]);
    expect(statSync(path.join(dir, "encryption.key")).mode & 0o777).toBe(0o600);
    expect(first.childEnv).toEqual({
      DATABASE_URL: testDatabaseUrl(),
      SLUICE_ENCRYPTION_KEY: first.encryptionKey,
      SLUICE_HOME: dir,
      SLUICE_DEMO_DATABASE_URL: testDatabaseUrl(),
      SLUICE_ENCRYPTION_KEY_PREVIOUS: "a,b",
    });
    expect((await resolveRuntimeConfig(env)).encryptionKey).toBe(first.encryptionKey);
    await first.stop();
  });

  it("prefers SLUICE_ENCRYPTION_KEY and refuses a damaged key file", () => {
    const dir = home();
    const key = Buffer.alloc(32, 7).toString("hex");
    expect(resolveEncryptionKey(key, dir)).toEqual({ value: key, source: "environment" });
    expect(resolveEncryptionKey(undefined, dir).source).toBe("generated");
    expect(resolveEncryptionKey(undefined, dir).source).toBe("file");
    const bad = home();
    writeFileSync(path.join(bad, "encryption.key"), "nope\n");
    expect(() => resolveEncryptionKey(undefined, bad)).toThrow(RuntimeConfigError);
  });

  it("knows when migrations are pending", async () => {
    expect(await migrationsPending(testDatabaseUrl())).toBe(false);
  });
});
