// A sync run as the CLI (--json), the API and the UI show it: status, counters, timings and its timeline.
import { z } from "zod";
import { SyncModeSchema } from "./sync-config";

export const RUN_STATUSES = [
  "queued",
  "planning",
  "snapshotting",
  "diffing",
  "delivering",
  "committing",
  "paused",
  "succeeded",
  "failed",
  "cancelled",
] as const;
export const RunStatusSchema = z.enum(RUN_STATUSES);
export type RunStatus = z.infer<typeof RunStatusSchema>;

/** A run in one of these states will not change again. */
export const FINISHED_RUN_STATUSES = ["succeeded", "failed", "cancelled"] as const satisfies readonly RunStatus[];
/** `--wait` stops at these: the run is finished, or paused until someone resumes it. */
export const SETTLED_RUN_STATUSES = [...FINISHED_RUN_STATUSES, "paused"] as const satisfies readonly RunStatus[];

export function isRunFinished(status: RunStatus): boolean {
  return (FINISHED_RUN_STATUSES as readonly RunStatus[]).includes(status);
}

export const RUN_TRIGGERS = ["manual", "schedule", "api", "cli", "retry"] as const;
export const RunTriggerSchema = z.enum(RUN_TRIGGERS);
export type RunTrigger = z.infer<typeof RunTriggerSchema>;

export const RunCountsSchema = z.object({
  planned: z.number().int(),
  added: z.number().int(),
  changed: z.number().int(),
  removed: z.number().int(),
  delivered: z.number().int(),
  rejected: z.number().int(),
  failed: z.number().int(),
});
export type RunCounts = z.infer<typeof RunCountsSchema>;

export const RunTransitionSchema = z.object({
  from: RunStatusSchema.nullable(),
  to: RunStatusSchema,
  at: z.string(),
  detail: z.string().nullable(),
});
export type RunTransition = z.infer<typeof RunTransitionSchema>;

export const RunViewSchema = z.object({
  id: z.string(),
  syncId: z.string(),
  syncName: z.string(),
  status: RunStatusSchema,
  trigger: RunTriggerSchema,
  mode: SyncModeSchema,
  fullResync: z.boolean(),
  fullResyncReason: z.string().nullable(),
  counts: RunCountsSchema,
  /** ISO-8601 timestamps. */
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  error: z.string().nullable(),
  createdAt: z.string(),
  timeline: z.array(RunTransitionSchema),
});
export type RunView = z.infer<typeof RunViewSchema>;
