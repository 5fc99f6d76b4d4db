// What leaves the server for a sync: its model and destination (by id and name), mode, mapping spec,
// schedule and when the scheduler will next start it.
import type { MappingSpec } from "@sluice/contracts/mapping";
import type { Schedule, SyncMode } from "@sluice/contracts/sync-config";
import type { Sync } from "@sluice/db";
import { AppError } from "../errors";

export interface SyncView {
  id: string;
  name: string;
  modelId: string;
  modelName: string;
  destinationId: string;
  destinationName: string;
  object: string | null;
  mode: SyncMode;
  mappings: MappingSpec;
  schedule: Schedule;
  enabled: boolean;
  nextRunAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export type SyncRowWithNames = Sync & { model: { name: string }; destination: { name: string } };

export const SYNC_VIEW_INCLUDE = { model: { select: { name: true } }, destination: { select: { name: true } } } as const;

export function toSyncView(row: SyncRowWithNames): SyncView {
  return {
    id: row.id,
    name: row.name,
    modelId: row.modelId,
    modelName: row.model.name,
    destinationId: row.destinationId,
    destinationName: row.destination.name,
    object: row.object,
    mode: row.mode,
    mappings: row.mappings as MappingSpec,
    schedule: row.schedule as Schedule,
    enabled: row.enabled,
    nextRunAt: row.nextRunAt,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/** The audit image: the sync's configuration, without timestamps or scheduler state. */
export function syncAuditImage(view: SyncView) {
  const { createdAt: _c, updatedAt: _u, nextRunAt: _n, modelName: _m, destinationName: _d, ...image } = view;
  return image;
}

export function syncNotFound(name?: string, workspaceSlug?: string): AppError {
  if (name === undefined) return new AppError("NOT_FOUND", "Sync not found.");
  return new AppError("NOT_FOUND", `No sync named "${name}" in workspace "${workspaceSlug}".`);
}

export function syncNameTaken(name: string): AppError {
  return new AppError("CONFLICT", `A sync named "${name}" already exists.`, { name: ["Another sync already has this name"] });
}
