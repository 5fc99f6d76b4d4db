import { describe, expect, it } from "vitest";
import { runNextStep } from "./run-format";

const run = (status: Parameters<typeof runNextStep>[0]["status"], rejected = 0, failed = 0) => ({
  status,
  error: status === "failed" ? "boom" : null,
  counts: { rejected, failed },
});

describe("runNextStep", () => {
  it("says what to do after each way a run can end", () => {
    expect(runNextStep(run("failed"))).toMatch(/^Fix what the error names/);
    expect(runNextStep(run("cancelled"))).toMatch(/next run sends those records again/);
    expect(runNextStep(run("paused"))).toMatch(/Resume it from the Live tab/);
    expect(runNextStep(run("succeeded", 0, 3))).toMatch(/^3 records failed .* Retry failed now\.$/);
    expect(runNextStep(run("succeeded", 1, 0))).toMatch(/^1 record was rejected: fix the data or the mapping/);
    expect(runNextStep(run("succeeded", 1_200, 0))).toMatch(/^1,200 records were rejected/);
  });
  it("has nothing to add for a clean or running run", () => {
    expect(runNextStep(run("succeeded"))).toBeNull();
    expect(runNextStep(run("delivering", 5, 5))).toBeNull();
  });
});
