import { describe, expect, it } from "vitest";
import { formatEta, isSteerable, runProgress } from "./run-progress";

const counts = (o: Partial<Record<"planned" | "delivered" | "rejected" | "failed", number>>) => ({
  planned: 0,
  added: 0,
  changed: 0,
  removed: 0,
  delivered: 0,
  rejected: 0,
  failed: 0,
  ...o,
});

describe("runProgress", () => {
  it("splits what was handled by outcome and estimates the rest at the current rate", () => {
    const p = runProgress(counts({ planned: 3_000, delivered: 1_200, rejected: 30, failed: 20 }), 125);
    expect(p).toMatchObject({ processed: 1_250, remaining: 1_750, donePct: 41, etaSeconds: 14 });
    expect(p.pct.delivered).toBeCloseTo(40, 6);
    expect(p.pct.rejected).toBeCloseTo(1, 6);
    expect(p.pct.failed).toBeCloseTo(2 / 3, 6);
  });

  it("has no estimate before a rate is known or when nothing is left; 0% of an empty plan", () => {
    expect(runProgress(counts({ planned: 100 }), null).etaSeconds).toBeNull();
    expect(runProgress(counts({ planned: 100, delivered: 100 }), 50)).toMatchObject({ etaSeconds: null, donePct: 100 });
    expect(runProgress(counts({}), 10)).toMatchObject({ donePct: 0, pct: { delivered: 0, rejected: 0, failed: 0 } });
  });

  it("never draws past the end when outcomes outnumber the plan", () => {
    const p = runProgress(counts({ planned: 10, delivered: 9, failed: 3 }), null);
    expect(p.pct.delivered + p.pct.rejected + p.pct.failed).toBeCloseTo(100, 6);
    expect(p.donePct).toBe(100);
  });
});

describe("helpers", () => {
  it("formats an ETA", () => {
    expect([5, 65, 3_725].map(formatEta)).toEqual(["5s", "1m 05s", "1h 02m"]);
  });
  it("only active or paused runs can be steered", () => {
    expect(isSteerable("delivering")).toBe(true);
    expect(isSteerable("paused")).toBe(true);
    expect(isSteerable("succeeded")).toBe(false);
    expect(isSteerable("cancelled")).toBe(false);
  });
});
