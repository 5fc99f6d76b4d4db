// The live stream's list: newest first, optionally one outcome only, with the count of each outcome so the
// filter buttons can say how many each would show.
import type { LiveRunEvent } from "@sluice/contracts/live";

export type Outcome = LiveRunEvent["outcome"];
export type OutcomeFilter = Outcome | "all";

export const OUTCOMES: readonly Outcome[] = ["delivered", "rejected", "failed"];

export function visibleEvents(events: readonly LiveRunEvent[], filter: OutcomeFilter, limit = 200): LiveRunEvent[] {
  const out: LiveRunEvent[] = [];
  for (let i = events.length - 1; i >= 0 && out.length < limit; i--) {
    const e = events[i] as LiveRunEvent;
    if (filter === "all" || e.outcome === filter) out.push(e);
  }
  return out;
}

export function countByOutcome(events: readonly LiveRunEvent[]): Record<OutcomeFilter, number> {
  const counts: Record<OutcomeFilter, number> = { all: events.length, delivered: 0, rejected: 0, failed: 0 };
  for (const e of events) counts[e.outcome]++;
  return counts;
}

/** A record key as one short line: `id=42` or `org=7, id=42`. */
export function keyText(key: unknown): string {
  if (key && typeof key === "object" && !Array.isArray(key)) {
    const parts = Object.entries(key as Record<string, unknown>).map(([k, v]) => `${k}=${scalarText(v)}`);
    if (parts.length > 0) return parts.join(", ");
  }
  return scalarText(key);
}

function scalarText(v: unknown): string {
  if (typeof v === "string") return v;
  if (v === null || v === undefined) return "—";
  return typeof v === "object" ? JSON.stringify(v) : String(v);
}

/** JSON for reading: two-space indent; a value the worker cut short says so. */
export function prettyJson(value: unknown): string {
  if (value === undefined) return "—";
  if (typeof value === "string") return value;
  try {
    return JSON.stringify(value, null, 2) ?? String(value);
  } catch {
    return String(value);
  }
}

/** The worker replaces payloads or responses over 16 KB by `{ truncated, bytes, preview }`. */
export function truncatedInfo(value: unknown): { bytes: number; preview: string } | null {
  if (!value || typeof value !== "object") return null;
  const v = value as Record<string, unknown>;
  if (v.truncated !== true || typeof v.bytes !== "number") return null;
  return { bytes: v.bytes, preview: typeof v.preview === "string" ? v.preview : "" };
}
