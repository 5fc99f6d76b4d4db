import type { LiveRunEvent } from "@sluice/contracts/live";
import { describe, expect, it } from "vitest";
import { countByOutcome, keyText, prettyJson, truncatedInfo, visibleEvents } from "./event-filter";

const event = (id: string, outcome: LiveRunEvent["outcome"]): LiveRunEvent => ({
  id,
  syncId: "s",
  runId: "r",
  at: `2025-03-04T10:00:0${id}.000Z`,
  key: { id: Number(id) },
  payload: {},
  response: {},
  outcome,
  latencyMs: 12,
});

const events = [event("1", "delivered"), event("2", "rejected"), event("3", "delivered"), event("4", "failed")];

describe("visibleEvents", () => {
  it("lists newest first, filtered by outcome, at most `limit`", () => {
    expect(visibleEvents(events, "all").map((e) => e.id)).toEqual(["4", "3", "2", "1"]);
    expect(visibleEvents(events, "delivered").map((e) => e.id)).toEqual(["3", "1"]);
    expect(visibleEvents(events, "all", 2).map((e) => e.id)).toEqual(["4", "3"]);
    expect(visibleEvents([], "failed")).toEqual([]);
  });
  it("counts each outcome", () => {
    expect(countByOutcome(events)).toEqual({ all: 4, delivered: 2, rejected: 1, failed: 1 });
  });
});

describe("display helpers", () => {
  it("writes keys on one line", () => {
    expect(keyText({ id: 42 })).toBe("id=42");
    expect(keyText({ org: "acme", id: 7 })).toBe("org=acme, id=7");
    expect(keyText({ id: null })).toBe("id=—");
    expect(keyText({})).toBe("{}");
    expect(keyText("x")).toBe("x");
  });
  it("pretty-prints JSON and recognises a truncated value", () => {
    expect(prettyJson({ a: 1 })).toBe('{\n  "a": 1\n}');
    expect(prettyJson(undefined)).toBe("—");
    expect(truncatedInfo({ truncated: true, bytes: 20_000, preview: '{"a"' })).toEqual({ bytes: 20_000, preview: '{"a"' });
    expect(truncatedInfo({ truncated: "yes" })).toBeNull();
    expect(truncatedInfo(null)).toBeNull();
  });
});
