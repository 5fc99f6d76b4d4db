import { describe, expect, it } from "vitest";
import { getWarehouseAdapter, runTables } from "./warehouse";

describe("runTables", () => {
  it("names the committed, snapshot, diff and quarantine tables from the sync and run ids", () => {
    expect(runTables("sluice", "cmSync01", "cmRun02")).toEqual({
      schema: "sluice",
      committed: "snap_cmsync01",
      snapshot: "snap_cmsync01_cmrun02",
      diff: "diff_cmsync01_cmrun02",
      quarantine: "quar_cmsync01_cmrun02",
    });
  });

  it("strips everything but [a-z0-9] and hash-shortens long ids to fit 63 bytes", () => {
    const t = runTables("s", "Sync-Ünïcode_ID", `run-${"x".repeat(100)}`);
    expect(t.committed).toBe("snap_syncncodeid");
    for (const name of [t.committed, t.snapshot, t.diff, t.quarantine]) {
      expect(name).toMatch(/^[a-z]{4}_[a-z0-9_]+$/);
      expect(Buffer.byteLength(name)).toBeLessThanOrEqual(63);
    }
    // Distinct long ids stay distinct, and the same id always gives the same name.
    expect(runTables("s", "a", `${"y".repeat(40)}1`).diff).not.toBe(runTables("s", "a", `${"y".repeat(40)}2`).diff);
    expect(runTables("s", "a", "b".repeat(50)).diff).toBe(runTables("s", "a", "b".repeat(50)).diff);
    expect(runTables("s", "---", "r").committed).toMatch(/^snap_[0-9a-f]{8}$/);
  });

  it("keeps cuid-sized ids readable", () => {
    const t = runTables("sluice", "cm8x0k2a1000008l4c9g3h7qz", "cm8x0k2a1000108l4d2k9w1ab");
    expect(t.diff).toBe("diff_cm8x0k2a1000008l4c9g3h7qz_cm8x0k2a1000108l4d2k9w1ab");
  });
});

describe("getWarehouseAdapter", () => {
  it("knows postgres and nothing else yet", () => {
    expect(getWarehouseAdapter("postgres")).toBeDefined();
    expect(getWarehouseAdapter("snowflake")).toBeUndefined();
    expect(getWarehouseAdapter("toString")).toBeUndefined();
  });
});
