import { describe, expect, it } from "vitest";
import { CreateSyncInput, parseInterval, ScheduleInputSchema, ScheduleSchema, SyncModeSchema } from "./sync-config";

const messages = (raw: unknown) => ScheduleInputSchema.safeParse(raw).error?.issues.map((i) => i.message) ?? [];

describe("schedules", () => {
  it("reads manual, intervals and cron into the stored form", () => {
    expect(ScheduleInputSchema.parse("manual")).toEqual({ type: "manual" });
    expect(ScheduleInputSchema.parse({ every: "15m" })).toEqual({ type: "interval", every: "15m", everyMs: 900_000 });
    expect(ScheduleInputSchema.parse({ every: "2h" })).toEqual({ type: "interval", every: "2h", everyMs: 7_200_000 });
    expect(ScheduleInputSchema.parse({ every: "90s" })).toMatchObject({ everyMs: 90_000 });
    expect(ScheduleInputSchema.parse({ cron: "0 * * * *" })).toEqual({ type: "cron", cron: "0 * * * *" });
    expect(ScheduleInputSchema.parse({ cron: "@hourly" })).toEqual({ type: "cron", cron: "@hourly" });
  });

  it("takes the stored form back unchanged (everyMs recomputed)", () => {
    expect(ScheduleInputSchema.parse({ type: "interval", every: "1d", everyMs: 1 })).toEqual({
      type: "interval",
      every: "1d",
      everyMs: 86_400_000,
    });
    expect(ScheduleInputSchema.parse({ type: "manual" })).toEqual({ type: "manual" });
    expect(ScheduleSchema.parse({ type: "cron", cron: "*/5 * * * *" })).toEqual({ type: "cron", cron: "*/5 * * * *" });
  });

  it("refuses intervals under a minute and malformed ones", () => {
    expect(messages({ every: "30s" })).toEqual(["the shortest interval is 1m"]);
    expect(messages({ every: "0m" })).toEqual(["the shortest interval is 1m"]);
    expect(messages({ every: "15 minutes" })[0]).toMatch(/^expected an interval such as "15m"/);
    expect(messages({ every: "400d" })).toEqual(["the longest interval is 366d"]);
    expect(parseInterval("5x")).toBeUndefined();
  });

  it("validates cron with cron-parser and wants 5 fields", () => {
    expect(messages({ cron: "61 * * * *" })[0]).toMatch(/^invalid cron expression: .*61/);
    expect(messages({ cron: "* * * *" })).toEqual(["expected 5 cron fields (minute hour day-of-month month day-of-week), got 4"]);
    expect(messages({ cron: "* * * * * *" })[0]).toMatch(/got 6/);
    expect(messages({ cron: "0 0 * foo *" })[0]).toMatch(/^invalid cron expression/);
  });

  it("refuses anything else with the accepted shapes", () => {
    expect(messages("hourly")).toEqual(['expected manual, { every: "15m" } or { cron: "0 * * * *" }']);
    expect(messages({ every: "5m", cron: "* * * * *" }).length).toBeGreaterThan(0);
  });
});

describe("sync inputs", () => {
  it("knows the four modes", () => {
    expect(SyncModeSchema.options).toEqual(["upsert", "update", "insert", "mirror"]);
    expect(SyncModeSchema.safeParse("merge").error?.issues[0]?.message).toBe("expected one of upsert|update|insert|mirror");
  });

  it("defaults to a manual, enabled sync", () => {
    const parsed = CreateSyncInput.parse({
      name: "s",
      modelId: "m",
      destinationId: "d",
      mode: "upsert",
      mappings: [{ from: "a", to: "a" }],
    });
    expect(parsed).toMatchObject({ schedule: { type: "manual" }, enabled: true });
  });
});
