import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseEncryptionKey } from "../../packages/db/src/crypto";
import { resolveAuthSecret, resolveEncryptionKey } from "./secrets";
import { StartupError } from "./startup-error";

const home = () => mkdtempSync(path.join(tmpdir(), "sluice-secrets-"));

describe("start-up secrets", () => {
  it("generates the encryption key once, mode 0600, and reuses it", () => {
    const dir = home();
    const first = resolveEncryptionKey(undefined, dir);
    expect(first.source).toBe("generated");
    expect(() => parseEncryptionKey(first.value)).not.toThrow();
    const file = path.join(dir, "encryption.key");
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const second = resolveEncryptionKey(undefined, dir);
    expect(second).toMatchObject({ source: "file", value: first.value });
  });

  it("prefers the environment and writes nothing", () => {
    const dir = home();
    const key = Buffer.alloc(32, 9).toString("hex");
    expect(resolveEncryptionKey(key, dir)).toEqual({ value: key, source: "environment" });
    expect(() => statSync(path.join(dir, "encryption.key"))).toThrow();
  });

  it("refuses a damaged key file instead of replacing it", () => {
    const dir = home();
    writeFileSync(path.join(dir, "encryption.key"), "garbage\n", { mode: 0o644 });
    expect(() => resolveEncryptionKey(undefined, dir)).toThrow(StartupError);
    expect(() => resolveEncryptionKey(undefined, dir)).toThrow(/does not hold a valid 32-byte key — restore it from a backup/);
    expect(readFileSync(path.join(dir, "encryption.key"), "utf8")).toBe("garbage\n");
  });

  it("generates a long auth secret once, mode 0600", () => {
    const dir = home();
    const first = resolveAuthSecret(undefined, dir);
    expect(first.value.length).toBeGreaterThanOrEqual(32);
    expect(statSync(path.join(dir, "auth-secret")).mode & 0o777).toBe(0o600);
    expect(resolveAuthSecret(undefined, dir).value).toBe(first.value);
  });
});
