import { describe, expect, it } from "vitest";
import { formatFromNow, formatUtc } from "./schedule-times";
import {
  defaultSyncName,
  draftFromSync,
  effectiveMode,
  emptyDraft,
  hasChanges,
  resyncingChanges,
  type SavedSync,
  scheduleDraftFrom,
  scheduleInputOf,
} from "./sync-draft";

const saved: SavedSync = {
  name: "Customers to inbox",
  modelId: "m1",
  destinationId: "d1",
  object: null,
  mode: "mirror",
  mappings: [
    { from: "email", to: "email" },
    { constant: "demo", to: "source" },
  ],
  schedule: { type: "interval", every: "15m", everyMs: 900_000 },
  enabled: true,
};

describe("schedule draft", () => {
  it("starts from the saved schedule and keeps the other kinds' defaults", () => {
    expect(scheduleDraftFrom(undefined)).toEqual({ kind: "manual", every: "1h", cron: "0 6 * * *" });
    expect(scheduleDraftFrom(saved.schedule)).toEqual({ kind: "interval", every: "15m", cron: "0 6 * * *" });
    expect(scheduleDraftFrom({ type: "cron", cron: "0 * * * *" })).toMatchObject({ kind: "cron", cron: "0 * * * *" });
  });

  it("sends what was typed for the chosen kind only", () => {
    expect(scheduleInputOf({ kind: "manual", every: "5m", cron: "x" })).toBe("manual");
    expect(scheduleInputOf({ kind: "interval", every: " 2h ", cron: "x" })).toEqual({ every: "2h" });
    expect(scheduleInputOf({ kind: "cron", every: "5m", cron: " */5 * * * * " })).toEqual({ cron: "*/5 * * * *" });
  });

  it("shows run times in UTC with how far away they are", () => {
    expect(formatUtc("2030-03-05T14:00:00.000Z")).toBe("Tue, 5 Mar 2030, 14:00 UTC");
    const now = Date.parse("2030-03-05T12:00:00.000Z");
    expect(formatFromNow("2030-03-05T12:15:00.000Z", now)).toBe("in 15 min");
    expect(formatFromNow("2030-03-05T15:05:00.000Z", now)).toBe("in 3 h 05 min");
    expect(formatFromNow("2030-03-05T14:00:00.000Z", now)).toBe("in 2 h");
    expect(formatFromNow("2030-03-09T12:00:00.000Z", now)).toBe("in 4 days");
    expect(formatFromNow("2030-03-05T11:00:00.000Z", now)).toBe("now");
  });
});

describe("sync draft", () => {
  it("uses the chosen mode when the object offers it, else upsert, else the first offered", () => {
    expect(effectiveMode("mirror", ["upsert", "mirror"])).toBe("mirror");
    expect(effectiveMode("mirror", ["insert", "upsert"])).toBe("upsert");
    expect(effectiveMode(null, ["insert", "update"])).toBe("insert");
    expect(effectiveMode("update", [])).toBe("update");
    expect(effectiveMode(null, [])).toBeNull();
  });

  it("names a new sync after its model and destination", () => {
    expect(defaultSyncName("Demo customers", "Demo inbox")).toBe("Demo customers to Demo inbox");
    expect(defaultSyncName(undefined, "Demo inbox")).toBe("");
    expect(defaultSyncName("m".repeat(70), "d".repeat(20))).toHaveLength(80);
    expect(emptyDraft({ modelId: "m1" })).toMatchObject({ modelId: "m1", enabled: true, rows: [], mode: null });
  });

  it("knows when the form differs from the saved sync, and which changes resync everything", () => {
    const draft = draftFromSync(saved);
    expect(hasChanges(draft, saved)).toBe(false);
    expect(hasChanges({ ...draft, enabled: false }, saved)).toBe(true);
    expect(hasChanges({ ...draft, schedule: { ...draft.schedule, kind: "manual" } }, saved)).toBe(true);
    // Text typed for another kind of schedule is not a change.
    expect(hasChanges({ ...draft, schedule: { ...draft.schedule, cron: "1 2 3 4 5" } }, saved)).toBe(false);
    expect(resyncingChanges({ ...draft, enabled: false, name: "x" }, saved)).toEqual([]);
    const [first, second] = draft.rows;
    expect(
      resyncingChanges({ ...draft, mode: "upsert", rows: [{ ...(first as NonNullable<typeof first>), to: "mail" }] }, saved),
    ).toEqual(["mode", "mappings"]);
    expect(second?.source).toEqual({ kind: "constant", type: "text", text: "demo" });
  });
});
