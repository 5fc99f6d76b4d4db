// The sync settings form's state and rules, pure: what the form starts from (a saved sync or nothing), the
// schedule as typed (manual, an interval, a cron expression) turned into the API's form, the mode to use
// when the chosen one is not offered, and whether anything changed since the last save.
import type { Mapping } from "@sluice/contracts/mapping";
import type { Schedule, ScheduleInput, SyncMode } from "@sluice/contracts/sync-config";
import { type DraftRow, rowsFromSpec, specFromRows } from "@/components/mapper/mapping-draft";

export type ScheduleKind = "manual" | "interval" | "cron";

export interface ScheduleDraft {
  kind: ScheduleKind;
  /** Kept while another kind is chosen, so switching back does not lose what was typed. */
  every: string;
  cron: string;
}

export const INTERVAL_PRESETS = ["15m", "1h", "6h", "1d"] as const;
export const CRON_PRESETS = [
  { label: "Every hour", cron: "0 * * * *" },
  { label: "Daily at 06:00 UTC", cron: "0 6 * * *" },
  { label: "Weekdays at 09:00 UTC", cron: "0 9 * * 1-5" },
] as const;

const DEFAULT_EVERY = "1h";
const DEFAULT_CRON = "0 6 * * *";

export function scheduleDraftFrom(schedule: Schedule | undefined): ScheduleDraft {
  if (!schedule || schedule.type === "manual") return { kind: "manual", every: DEFAULT_EVERY, cron: DEFAULT_CRON };
  if (schedule.type === "interval") return { kind: "interval", every: schedule.every, cron: DEFAULT_CRON };
  return { kind: "cron", every: DEFAULT_EVERY, cron: schedule.cron };
}

/** The schedule as the API takes it: "manual", { every } or { cron }, as typed (the server validates). */
export function scheduleInputOf(draft: ScheduleDraft): ScheduleInput {
  if (draft.kind === "interval") return { every: draft.every.trim() };
  if (draft.kind === "cron") return { cron: draft.cron.trim() };
  return "manual";
}

/** The mode to show as chosen: the draft's when the object offers it, else upsert, else the first offered. */
export function effectiveMode(chosen: SyncMode | null, offered: readonly SyncMode[]): SyncMode | null {
  if (chosen && offered.includes(chosen)) return chosen;
  if (chosen && offered.length === 0) return chosen;
  if (offered.includes("upsert")) return "upsert";
  return offered[0] ?? chosen;
}

export interface SyncDraft {
  name: string;
  modelId: string;
  destinationId: string;
  /** The destination object; null for destinations that write one. */
  object: string | null;
  mode: SyncMode | null;
  rows: DraftRow[];
  schedule: ScheduleDraft;
  enabled: boolean;
}

export interface SavedSync {
  name: string;
  modelId: string;
  destinationId: string;
  object: string | null;
  mode: SyncMode;
  mappings: Mapping[];
  schedule: Schedule;
  enabled: boolean;
}

export function draftFromSync(sync: SavedSync): SyncDraft {
  return {
    name: sync.name,
    modelId: sync.modelId,
    destinationId: sync.destinationId,
    object: sync.object,
    mode: sync.mode,
    rows: rowsFromSpec(sync.mappings),
    schedule: scheduleDraftFrom(sync.schedule),
    enabled: sync.enabled,
  };
}

export function emptyDraft(o: { modelId?: string } = {}): SyncDraft {
  return {
    name: "",
    modelId: o.modelId ?? "",
    destinationId: "",
    object: null,
    mode: null,
    rows: [],
    schedule: scheduleDraftFrom(undefined),
    enabled: true,
  };
}

/** "Demo customers to Demo inbox", within the 80 characters a name may have. */
export function defaultSyncName(modelName: string | undefined, destinationName: string | undefined): string {
  if (!modelName || !destinationName) return "";
  return `${modelName} to ${destinationName}`.slice(0, 80);
}

/** What the draft would save, in a form two drafts can be compared by (row ids and untyped text ignored). */
export function settingsOf(draft: SyncDraft, mode: SyncMode | null) {
  return {
    name: draft.name.trim(),
    modelId: draft.modelId,
    destinationId: draft.destinationId,
    object: draft.object,
    mode,
    mappings: specFromRows(draft.rows).spec,
    incompleteRows: draft.rows.length - specFromRows(draft.rows).spec.length,
    schedule: scheduleInputOf(draft.schedule),
    enabled: draft.enabled,
  };
}

export function hasChanges(draft: SyncDraft, saved: SavedSync): boolean {
  return JSON.stringify(settingsOf(draft, draft.mode)) !== JSON.stringify(settingsOf(draftFromSync(saved), saved.mode));
}

/** Changes that make the next run a full resync (the engine compares these in its config hash). */
export function resyncingChanges(draft: SyncDraft, saved: SavedSync): string[] {
  const now = settingsOf(draft, draft.mode);
  const before = settingsOf(draftFromSync(saved), saved.mode);
  const out: string[] = [];
  if (now.modelId !== before.modelId) out.push("model");
  if (now.destinationId !== before.destinationId || now.object !== before.object) out.push("destination");
  if (now.mode !== before.mode) out.push("mode");
  if (JSON.stringify(now.mappings) !== JSON.stringify(before.mappings)) out.push("mappings");
  return out;
}
