// What a sync is configured with: its mode, its schedule (stored form and the friendlier YAML/API form),
// and the inputs of the sync and model functions.
import { CronExpressionParser } from "cron-parser";
import { z } from "zod";
import { MappingSpecSchema } from "./mapping";

export const SYNC_MODES = ["upsert", "update", "insert", "mirror"] as const;
export const SyncModeSchema = z.enum(SYNC_MODES, { error: `expected one of ${SYNC_MODES.join("|")}` });
export type SyncMode = z.infer<typeof SyncModeSchema>;

export const MIN_INTERVAL_MS = 60_000;
const MAX_INTERVAL_MS = 366 * 24 * 3_600_000;
const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const INTERVAL_PATTERN = /^(\d+)\s*([smhd])$/;

/** "15m" → 900000; undefined when the text is not `<number><s|m|h|d>`. */
export function parseInterval(text: string): number | undefined {
  const match = INTERVAL_PATTERN.exec(text.trim());
  if (!match) return undefined;
  return Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
}

const IntervalText = z
  .string({ error: 'expected an interval such as "15m", "2h" or "1d"' })
  .trim()
  .superRefine((text, ctx) => {
    const ms = parseInterval(text);
    if (ms === undefined)
      ctx.addIssue({ code: "custom", message: 'expected an interval such as "15m", "2h" or "1d" (s, m, h or d)' });
    else if (ms < MIN_INTERVAL_MS) ctx.addIssue({ code: "custom", message: "the shortest interval is 1m" });
    else if (ms > MAX_INTERVAL_MS) ctx.addIssue({ code: "custom", message: "the longest interval is 366d" });
  });

/** Standard 5-field cron (minute hour day-of-month month day-of-week) or a macro like @hourly; evaluated in UTC. */
export const CronText = z
  .string({ error: 'expected a cron expression such as "0 * * * *"' })
  .trim()
  .superRefine((text, ctx) => {
    const fields = text.split(/\s+/).filter(Boolean);
    if (!text.startsWith("@") && fields.length !== 5) {
      ctx.addIssue({
        code: "custom",
        message: `expected 5 cron fields (minute hour day-of-month month day-of-week), got ${fields.length}`,
      });
      return;
    }
    try {
      CronExpressionParser.parse(text, { tz: "UTC" });
    } catch (error) {
      ctx.addIssue({ code: "custom", message: `invalid cron expression: ${error instanceof Error ? error.message : error}` });
    }
  });

/** The stored form (Sync.schedule). */
export const ScheduleSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("manual") }),
  z.object({ type: z.literal("interval"), every: IntervalText, everyMs: z.number().int().min(MIN_INTERVAL_MS) }),
  z.object({ type: z.literal("cron"), cron: CronText }),
]);
export type Schedule = z.infer<typeof ScheduleSchema>;

const MANUAL: Schedule = { type: "manual" };

/**
 * The form people write (YAML, API): "manual" | { every: "15m" } | { cron: "0 * * * *" }. The stored form is
 * accepted too ({ type: … }, everyMs recomputed), so a schedule read back can be sent back unchanged.
 */
export const ScheduleInputSchema = z
  .union(
    [
      z.literal("manual"),
      z.strictObject({ every: IntervalText }),
      z.strictObject({ cron: CronText }),
      z.strictObject({ type: z.literal("manual") }),
      z.strictObject({ type: z.literal("interval"), every: IntervalText, everyMs: z.number().optional() }),
      z.strictObject({ type: z.literal("cron"), cron: CronText }),
    ],
    { error: 'expected manual, { every: "15m" } or { cron: "0 * * * *" }' },
  )
  .transform((input): Schedule => {
    if (input === "manual") return MANUAL;
    if ("cron" in input) return { type: "cron", cron: input.cron };
    if ("every" in input) return { type: "interval", every: input.every, everyMs: parseInterval(input.every) as number };
    return MANUAL;
  });
export type ScheduleInput = z.input<typeof ScheduleInputSchema>;

/** How a schedule reads in a table or the CLI. */
export function describeSchedule(schedule: Schedule): string {
  if (schedule.type === "manual") return "manual";
  if (schedule.type === "interval") return `every ${schedule.every}`;
  return `cron ${schedule.cron} (UTC)`;
}

// ---- inputs of the model and sync functions ----

const Name = z.string().trim().min(1, "Give it a name").max(80, "Use at most 80 characters");
const Id = z.string().min(1);
const Column = z.string().trim().min(1, "expected a column name").max(128);

export const PrimaryKeySchema = z
  .array(Column, { error: "expected a list of primary key columns" })
  .min(1, "name at least one primary key column")
  .refine((cols) => new Set(cols).size === cols.length, "a primary key column is listed twice");

export const ModelQuerySchema = z.string({ error: "expected the model's SQL" }).trim().min(1, "expected the model's SQL");

export const CreateModelInput = z.object({ name: Name, sourceId: Id, query: ModelQuerySchema, primaryKey: PrimaryKeySchema });
export type CreateModelInput = z.infer<typeof CreateModelInput>;

export const UpdateModelInput = z.object({
  id: Id,
  name: Name.optional(),
  sourceId: Id.optional(),
  query: ModelQuerySchema.optional(),
  primaryKey: PrimaryKeySchema.optional(),
});
export type UpdateModelInput = z.infer<typeof UpdateModelInput>;

const ObjectName = z.string().trim().min(1).max(120).nullable();

export const CreateSyncInput = z.object({
  name: Name,
  modelId: Id,
  destinationId: Id,
  object: ObjectName.optional(),
  mode: SyncModeSchema,
  mappings: MappingSpecSchema,
  schedule: ScheduleInputSchema.default({ type: "manual" }),
  enabled: z.boolean().default(true),
});
export type CreateSyncInput = z.input<typeof CreateSyncInput>;

export const UpdateSyncInput = z.object({
  id: Id,
  name: Name.optional(),
  modelId: Id.optional(),
  destinationId: Id.optional(),
  object: ObjectName.optional(),
  mode: SyncModeSchema.optional(),
  mappings: MappingSpecSchema.optional(),
  schedule: ScheduleInputSchema.optional(),
  enabled: z.boolean().optional(),
});
export type UpdateSyncInput = z.input<typeof UpdateSyncInput>;
