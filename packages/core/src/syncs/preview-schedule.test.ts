import { describe, expect, it } from "vitest";
import { previewSchedule } from "./preview-schedule";

const NOW = new Date("2025-03-04T10:17:30Z");

describe("previewSchedule", () => {
  it("gives the next five cron times in UTC", () => {
    const preview = previewSchedule({ schedule: { cron: "0 */6 * * *" } }, NOW);
    expect(preview).toEqual({
      ok: true,
      schedule: { type: "cron", cron: "0 */6 * * *" },
      summary: "cron 0 */6 * * * (UTC)",
      description:
        'Runs at the times the cron expression "0 */6 * * *" gives, in UTC. A start that comes while a run is still going is skipped.',
      nextRuns: [
        "2025-03-04T12:00:00.000Z",
        "2025-03-04T18:00:00.000Z",
        "2025-03-05T00:00:00.000Z",
        "2025-03-05T06:00:00.000Z",
        "2025-03-05T12:00:00.000Z",
      ],
    });
    expect(previewSchedule({ schedule: { type: "cron", cron: "@daily" }, count: 2 }, NOW)).toMatchObject({
      nextRuns: ["2025-03-05T00:00:00.000Z", "2025-03-06T00:00:00.000Z"],
    });
  });

  it("counts intervals from now, as if the sync were saved now", () => {
    const preview = previewSchedule({ schedule: { every: "90m" }, count: 3 }, NOW);
    expect(preview).toMatchObject({
      ok: true,
      schedule: { type: "interval", every: "90m", everyMs: 5_400_000 },
      summary: "every 90m",
      nextRuns: ["2025-03-04T11:47:30.000Z", "2025-03-04T13:17:30.000Z", "2025-03-04T14:47:30.000Z"],
    });
  });

  it("has no times for a manual schedule", () => {
    expect(previewSchedule({ schedule: "manual" }, NOW)).toMatchObject({ ok: true, summary: "manual", nextRuns: [] });
  });

  it("says what is wrong with a schedule that is not valid yet", () => {
    expect(previewSchedule({ schedule: { every: "10s" } }, NOW)).toEqual({
      ok: false,
      message: "the shortest interval is 1m",
      fieldErrors: { "schedule.every": ["the shortest interval is 1m"] },
    });
    const badCron = previewSchedule({ schedule: { cron: "0 * *" } }, NOW);
    expect(badCron).toMatchObject({
      ok: false,
      message: "expected 5 cron fields (minute hour day-of-month month day-of-week), got 3",
    });
    const nonsense = previewSchedule({ schedule: { cron: "61 * * * *" } }, NOW);
    expect(nonsense.ok).toBe(false);
    expect(nonsense.ok === false && nonsense.message).toMatch(/^invalid cron expression/);
    expect(previewSchedule({ schedule: 42 }, NOW)).toMatchObject({
      ok: false,
      message: 'expected manual, { every: "15m" } or { cron: "0 * * * *" }',
    });
  });
});
