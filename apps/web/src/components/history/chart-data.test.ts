import { describe, expect, it } from "vitest";
import { formatCount, formatDurationTick, type HistoryPoint, hasChartData, toChartRows } from "./chart-data";

function point(over: Partial<HistoryPoint>): HistoryPoint {
  return {
    runId: "r",
    status: "succeeded",
    trigger: "manual",
    fullResync: false,
    createdAt: "2025-03-04T10:00:00.000Z",
    startedAt: "2025-03-04T10:00:01.000Z",
    finishedAt: "2025-03-04T10:00:31.000Z",
    durationMs: 30_000,
    planned: 0,
    added: 0,
    changed: 0,
    removed: 0,
    delivered: 0,
    rejected: 0,
    failed: 0,
    ...over,
  };
}

describe("toChartRows", () => {
  it("labels runs of one day by time of day, in order, keeping every count", () => {
    const rows = toChartRows(
      [
        point({ runId: "a", startedAt: "2025-03-04T09:05:00Z", delivered: 2_990, rejected: 10, added: 3_000 }),
        point({ runId: "b", startedAt: "2025-03-04T17:45:00Z", delivered: 12, failed: 3, changed: 15 }),
      ],
      { timeZone: "UTC" },
    );
    expect(rows.map((r) => [r.index, r.runId, r.label])).toEqual([
      [0, "a", "09:05"],
      [1, "b", "17:45"],
    ]);
    expect(rows[0]).toMatchObject({ delivered: 2_990, rejected: 10, failed: 0, added: 3_000, duration: 30_000 });
    expect(rows[1]).toMatchObject({ delivered: 12, failed: 3, changed: 15 });
  });

  it("labels runs spread over days by date; a run that never started sits at its trigger time with no duration", () => {
    const rows = toChartRows(
      [
        point({ startedAt: "2025-03-01T23:30:00Z" }),
        point({ status: "cancelled", createdAt: "2025-03-04T08:00:00Z", startedAt: null, finishedAt: null, durationMs: null }),
      ],
      { timeZone: "UTC" },
    );
    expect(rows.map((r) => r.label)).toEqual(["Mar 1", "Mar 4"]);
    expect(rows[1]?.duration).toBeNull();
  });

  it("uses the viewer's time zone to decide what a day is", () => {
    const points = [point({ startedAt: "2025-03-04T22:00:00Z" }), point({ startedAt: "2025-03-05T01:00:00Z" })];
    expect(toChartRows(points, { timeZone: "UTC" }).map((r) => r.label)).toEqual(["Mar 4", "Mar 5"]);
    // In New York both runs fall on March 4th.
    expect(toChartRows(points, { timeZone: "America/New_York" }).map((r) => r.label)).toEqual(["17:00", "20:00"]);
  });

  it("is empty for no runs", () => {
    expect(toChartRows([])).toEqual([]);
  });
});

describe("hasChartData", () => {
  it("is false when no run has records or a duration, true as soon as one has", () => {
    const empty = toChartRows([point({ durationMs: null, startedAt: null })], { timeZone: "UTC" });
    expect(hasChartData(empty, "outcomes")).toBe(false);
    const changesOnly = toChartRows([point({ durationMs: null, startedAt: null, added: 5 })], { timeZone: "UTC" });
    expect(hasChartData(changesOnly, "outcomes")).toBe(false);
    expect(hasChartData(changesOnly, "changes")).toBe(true);
    expect(hasChartData(toChartRows([point({})], { timeZone: "UTC" }), "outcomes")).toBe(true);
  });
});

describe("axis formats", () => {
  it("shortens counts", () => {
    expect([0, 950, 1_000, 3_000, 12_500, 250_000, 1_200_000].map(formatCount)).toEqual([
      "0",
      "950",
      "1k",
      "3k",
      "12.5k",
      "250k",
      "1.2M",
    ]);
  });
  it("shortens durations", () => {
    expect([0, 420, 1_000, 45_000, 90_000, 120_000, 5_400_000].map(formatDurationTick)).toEqual([
      "0s",
      "420ms",
      "1s",
      "45s",
      "1.5m",
      "2m",
      "1.5h",
    ]);
  });
});
