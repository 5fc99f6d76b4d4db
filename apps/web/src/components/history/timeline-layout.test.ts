import { describe, expect, it } from "vitest";
import { fitWidths, layoutTimeline, type TimelineStep } from "./timeline-layout";

const step = (status: TimelineStep["status"], durationMs: number | null, current = false): TimelineStep => ({
  status,
  enteredAt: "2025-03-04T10:00:00.000Z",
  durationMs,
  current,
});

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

describe("layoutTimeline", () => {
  it("sizes segments by time, keeps tiny states visible, and ends at the final state's marker", () => {
    const layout = layoutTimeline([
      step("queued", 2_000),
      step("planning", 40),
      step("snapshotting", 800),
      step("diffing", 160),
      step("delivering", 17_000),
      step("committing", 0),
      step("succeeded", null),
    ]);
    expect(layout.totalMs).toBe(20_000);
    expect(layout.final).toMatchObject({ status: "succeeded", step: 6 });
    const widths = layout.segments.map((s) => s.widthPct);
    expect(sum(widths)).toBeCloseTo(100, 6);
    for (const w of widths) expect(w).toBeGreaterThanOrEqual(4 - 1e-9);
    // Delivering took most of the run and still dominates; queued stays wider than the tiny states.
    const [queued, planning, , , delivering, committing] = widths as number[];
    expect(delivering).toBeGreaterThan(60);
    expect(queued).toBeGreaterThan(planning as number);
    expect(committing).toBeCloseTo(4, 6);
    // Segments follow each other without gaps.
    layout.segments.forEach((s, i) => {
      const prev = layout.segments[i - 1];
      expect(s.startPct).toBeCloseTo(prev ? prev.startPct + prev.widthPct : 0, 6);
      expect(s.step).toBe(i);
    });
  });

  it("marks the current state of a run still under way and has no final marker", () => {
    const layout = layoutTimeline([step("queued", 500), step("planning", 300), step("delivering", 4_000, true)]);
    expect(layout.final).toBeNull();
    expect(layout.segments.map((s) => s.current)).toEqual([false, false, true]);
  });

  it("shows a pause and the second delivery as their own segments", () => {
    const layout = layoutTimeline([
      step("delivering", 5_000),
      step("paused", 10_000),
      step("delivering", 5_000),
      step("committing", 100),
      step("succeeded", null),
    ]);
    expect(layout.segments.map((s) => s.status)).toEqual(["delivering", "paused", "delivering", "committing"]);
    expect(layout.segments[1]?.widthPct).toBeGreaterThan(layout.segments[0]?.widthPct as number);
  });

  it("splits the bar evenly when every state took no time, and is empty without steps", () => {
    const layout = layoutTimeline([step("queued", 0), step("cancelled", null)]);
    expect(layout.segments.map((s) => s.widthPct)).toEqual([100]);
    expect(layout.final?.status).toBe("cancelled");
    expect(layoutTimeline([])).toEqual({ segments: [], final: null, totalMs: 0 });
  });
});

describe("fitWidths", () => {
  it("keeps shares that are all above the minimum as they are", () => {
    expect(fitWidths([50, 30, 20], 4)).toEqual([50, 30, 20]);
  });
  it("lowers the minimum when there are too many states for it", () => {
    const widths = fitWidths(
      Array.from({ length: 40 }, (_, i) => (i === 0 ? 100 : 0)),
      4,
    );
    expect(sum(widths)).toBeCloseTo(100, 6);
    for (const w of widths.slice(1)) expect(w).toBeCloseTo(2.5, 6);
  });
});
