// What leaves the server for a sync, a source or destination, and the workspace, as JSON (timestamps as
// ISO-8601 strings). Core's *View types are the same data before serialization; the REST API parses its
// answers through these (unknown fields are dropped, so nothing undeclared leaks) and its OpenAPI document
// is generated from them. Runs have theirs in run-view.ts.
import { z } from "zod";
import { ColumnMappingSchema, ConstantMappingSchema } from "./mapping";
import { RoleSchema } from "./roles";
import { ScheduleSchema, SyncModeSchema } from "./sync-config";

const Timestamp = z.iso.datetime({ offset: true });

export const SyncViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  modelId: z.string(),
  modelName: z.string(),
  destinationId: z.string(),
  destinationName: z.string(),
  /** The destination object written (e.g. "contacts"); null for single-object destinations. */
  object: z.string().nullable(),
  mode: SyncModeSchema,
  // Stored mappings were validated on the way in; here only their shape is described.
  mappings: z.array(z.union([ColumnMappingSchema, ConstantMappingSchema])),
  schedule: ScheduleSchema,
  enabled: z.boolean(),
  /** When the scheduler will next start a run; null for manual or disabled syncs. */
  nextRunAt: Timestamp.nullable(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type SyncViewJson = z.infer<typeof SyncViewSchema>;

/** A source or destination. Every secret config value is replaced by SECRET_MASK. */
export const ConnectionViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  type: z.string(),
  config: z.record(z.string(), z.unknown()),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type ConnectionViewJson = z.infer<typeof ConnectionViewSchema>;

export const WorkspaceSummarySchema = z.object({
  id: z.string(),
  slug: z.string(),
  name: z.string(),
  /** The caller's role in the workspace (an API key's own role). */
  role: RoleSchema,
  counts: z.object({
    sources: z.number().int(),
    destinations: z.number().int(),
    models: z.number().int(),
    syncs: z.number().int(),
    runs: z.number().int(),
  }),
});
export type WorkspaceSummaryJson = z.infer<typeof WorkspaceSummarySchema>;
