import { chmodSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { reachableBy } from "./postgres-binaries";

describe("reachableBy", () => {
  const root = mkdtempSync(path.join(tmpdir(), "sluice-reach-"));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const stranger = { uid: 424242, gid: 424242 };

  it("follows the execute bits of every ancestor", () => {
    chmodSync(root, 0o711);
    const open = path.join(root, "open");
    mkdirSync(path.join(open, "deep"), { recursive: true, mode: 0o755 });
    expect(reachableBy(stranger, path.join(open, "deep"))).toBe(true);

    const closed = path.join(root, "closed");
    mkdirSync(path.join(closed, "deep"), { recursive: true });
    chmodSync(closed, 0o700);
    expect(reachableBy(stranger, path.join(closed, "deep"))).toBe(false);
  });

  it("treats directories still to be created as reachable", () => {
    chmodSync(root, 0o711);
    expect(reachableBy(stranger, path.join(root, "not-yet", "there"))).toBe(true);
  });
});
