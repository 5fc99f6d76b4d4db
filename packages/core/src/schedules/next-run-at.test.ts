import { ScheduleInputSchema } from "@sluice/contracts/sync-config";
import { describe, expect, it } from "vitest";
import { computeNextRunAt } from "./next-run-at";

const at = (iso: string) => new Date(iso);
const schedule = (input: unknown) => ScheduleInputSchema.parse(input);

describe("computeNextRunAt", () => {
  it("is null for a manual schedule", () => {
    expect(computeNextRunAt({ type: "manual" }, new Date())).toBeNull();
  });

  it("adds the interval to `from`", () => {
    expect(computeNextRunAt(schedule({ every: "15m" }), at("2025-01-01T10:07:30.500Z"))).toEqual(at("2025-01-01T10:22:30.500Z"));
    expect(computeNextRunAt(schedule({ every: "1d" }), at("2025-02-28T23:00:00Z"))).toEqual(at("2025-03-01T23:00:00Z"));
  });

  it("finds the next cron slot strictly after `from`, in UTC", () => {
    const hourly = schedule({ cron: "0 * * * *" });
    expect(computeNextRunAt(hourly, at("2025-01-01T10:07:00Z"))).toEqual(at("2025-01-01T11:00:00Z"));
    expect(computeNextRunAt(hourly, at("2025-01-01T10:00:00Z"))).toEqual(at("2025-01-01T11:00:00Z"));
    expect(computeNextRunAt(hourly, at("2025-01-01T10:59:59.999Z"))).toEqual(at("2025-01-01T11:00:00Z"));
    // 02:30 UTC every day, whatever the machine's time zone.
    expect(computeNextRunAt(schedule({ cron: "30 2 * * *" }), at("2025-03-30T03:00:00Z"))).toEqual(at("2025-03-31T02:30:00Z"));
    // Mondays at 09:00; 2025-01-01 is a Wednesday.
    expect(computeNextRunAt(schedule({ cron: "0 9 * * 1" }), at("2025-01-01T12:00:00Z"))).toEqual(at("2025-01-06T09:00:00Z"));
    expect(computeNextRunAt(schedule({ cron: "@daily" }), at("2025-01-01T00:00:00Z"))).toEqual(at("2025-01-02T00:00:00Z"));
  });
});
