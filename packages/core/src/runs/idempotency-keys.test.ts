import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { idempotencyKeys } from "./idempotency-keys";

const md5 = (text: string) => createHash("md5").update(text).digest("hex");

describe("idempotencyKeys", () => {
  const rowHash = md5("(1,a@example.com)");

  it("gives a row state the same key on every send within one run (a re-sent batch deduplicates)", () => {
    const a = idempotencyKeys("sync-1", "run-1");
    const b = idempotencyKeys("sync-1", "run-1"); // another worker taking the run over
    expect(a([1], rowHash)).toBe(b([1], rowHash));
    expect(a([1], rowHash)).toMatch(/^[0-9a-f]{64}$/);
  });

  it("gives different row states, runs and syncs different keys", () => {
    const key = idempotencyKeys("sync-1", "run-1")([1], rowHash);
    expect(idempotencyKeys("sync-1", "run-1")([1], md5("(1,b@example.com)"))).not.toBe(key);
    expect(idempotencyKeys("sync-1", "run-2")([1], rowHash)).not.toBe(key);
    expect(idempotencyKeys("sync-2", "run-1")([1], rowHash)).not.toBe(key);
  });

  it("ends with the row hash, so the key's end tells records of one run apart", () => {
    expect(idempotencyKeys("sync-1", "run-1")([1], rowHash).endsWith(rowHash)).toBe(true);
  });

  it("hashes a row hash of another length together with the primary key", () => {
    const keys = idempotencyKeys("sync-1", "run-1");
    const one = keys([1], "0xABC");
    expect(one).toMatch(/^[0-9a-f]{64}$/);
    expect(keys([2], "0xABC")).not.toBe(one);
    expect(keys([1], "0xABC")).toBe(one);
  });
});
