// Planning: everything a run will do, decided once and stored on the run (SyncRun.plan), so a resumed
// run delivers exactly what was planned even if the sync is edited meanwhile. Also decides whether the
// run is a full resync, and says why.
import { createHash } from "node:crypto";
import { type DiffOp, runTables } from "@sluice/connectors/kit/warehouse";
import { getWarehouse } from "@sluice/connectors/registry";
import { type MappingSpec, MappingSpecSchema, mappedColumns } from "@sluice/contracts/mapping";
import { type SyncMode, SyncModeSchema } from "@sluice/contracts/sync-config";
import { z } from "zod";
import type { Services } from "../context";
import { RunFailure } from "./run-errors";

/** Which diff operations each mode delivers (issue 3, item 3). */
export const MODE_OPS: Record<SyncMode, DiffOp[]> = {
  upsert: ["added", "changed"],
  update: ["changed"],
  insert: ["added"],
  mirror: ["added", "changed", "removed"],
};

export const RunPlanSchema = z.object({
  version: z.literal(1),
  configHash: z.string(),
  sourceId: z.string(),
  destinationId: z.string(),
  /** The destination object written (Sync.object); absent in plans stored before it was recorded. */
  object: z.string().nullable().optional(),
  modelId: z.string(),
  query: z.string(),
  primaryKey: z.array(z.string()).min(1),
  columns: z.array(z.string()),
  mappings: MappingSpecSchema,
  mode: SyncModeSchema,
  ops: z.array(z.enum(["added", "changed", "removed"])),
  tables: z.object({ schema: z.string(), committed: z.string(), snapshot: z.string(), diff: z.string(), quarantine: z.string() }),
  fullResync: z.boolean(),
  fullResyncReason: z.string().nullable(),
});
export type RunPlan = z.infer<typeof RunPlanSchema>;

export function parsePlan(value: unknown): RunPlan | undefined {
  if (value === null || value === undefined) return undefined;
  const result = RunPlanSchema.safeParse(value);
  if (!result.success) throw new RunFailure(`the run's stored plan is unreadable: ${z.prettifyError(result.error)}`);
  return result.data;
}

interface ConfigParts {
  query: string;
  primaryKey: string[];
  mappings: MappingSpec;
  mode: SyncMode;
  sourceId: string;
  destination: string;
}

// One short hash per part, so a change can be named: "v1:<query>.<pk>.<mappings>.<mode>.<source>.<destination>".
const PART_REASONS = [
  "model query changed",
  "primary key changed",
  "mappings changed",
  "mode changed",
  "model source changed",
  "destination changed",
] as const;

export function computeConfigHash(c: ConfigParts): string {
  const parts = [c.query.trim(), c.primaryKey, c.mappings, c.mode, c.sourceId, c.destination];
  return `v1:${parts.map((p) => shortHash(JSON.stringify(p))).join(".")}`;
}

/** Why the configuration change since the last committed run forces a full resync; null when unchanged. */
export function describeConfigChange(committed: string | null, next: string): string | null {
  if (committed === null) return "first run";
  if (committed === next) return null;
  const before = committed.startsWith("v1:") ? committed.slice(3).split(".") : [];
  const after = next.slice(3).split(".");
  if (before.length !== after.length) return "configuration changed";
  const reasons = PART_REASONS.filter((_, i) => before[i] !== after[i]);
  return reasons.length > 0 ? reasons.join(", ") : "configuration changed";
}

export async function planRun(s: Services, run: { id: string; syncId: string; fullResync: boolean }): Promise<RunPlan> {
  const sync = await s.db.sync.findUnique({ where: { id: run.syncId }, include: { model: true } });
  if (!sync) throw new RunFailure("the sync no longer exists");
  const mappings = MappingSpecSchema.safeParse(sync.mappings);
  if (!mappings.success) throw new RunFailure(`the sync's mappings are invalid: ${z.prettifyError(mappings.error)}`);
  const { model } = sync;
  if (model.primaryKey.length === 0) throw new RunFailure(`model "${model.name}" has no primary key`);
  const source = await s.db.source.findUnique({ where: { id: model.sourceId } });
  if (!source) throw new RunFailure(`the source of model "${model.name}" no longer exists`);
  const connector = getWarehouse(source.type);
  if (!connector) throw new RunFailure(`Sluice cannot read from warehouses of type "${source.type}"`);
  // sluiceSchema is not a secret: the stored (masked) config is enough to name the run's tables.
  const config = connector.configSchema.safeParse(source.config);
  const sluiceSchema = (config.success ? (config.data as { sluiceSchema?: string }).sluiceSchema : undefined) ?? "sluice";

  const parts: ConfigParts = {
    query: model.query,
    primaryKey: model.primaryKey,
    mappings: mappings.data,
    mode: sync.mode,
    sourceId: source.id,
    destination: `${sync.destinationId}/${sync.object ?? ""}`,
  };
  const configHash = computeConfigHash(parts);
  const change = describeConfigChange(sync.committedConfigHash, configHash);
  const reasons = [...(run.fullResync && change !== "first run" ? ["requested"] : []), ...(change ? [change] : [])];
  return {
    version: 1,
    configHash,
    sourceId: source.id,
    destinationId: sync.destinationId,
    object: sync.object,
    modelId: model.id,
    query: model.query,
    primaryKey: model.primaryKey,
    columns: mappedColumns(mappings.data),
    mappings: mappings.data,
    mode: sync.mode,
    ops: MODE_OPS[sync.mode],
    tables: runTables(sluiceSchema, sync.id, run.id),
    fullResync: reasons.length > 0,
    fullResyncReason: reasons.length > 0 ? reasons.join("; ") : null,
  };
}

function shortHash(text: string): string {
  return createHash("sha256").update(text).digest("hex").slice(0, 16);
}
