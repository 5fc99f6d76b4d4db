// The write halves of createSync/updateSync, shared with applyConfig: each takes validated data and a
// transaction, keeps Sync.nextRunAt in step with the schedule, and writes the audit entry beside the change.
import type { MappingSpec } from "@sluice/contracts/mapping";
import type { Schedule, SyncMode } from "@sluice/contracts/sync-config";
import type { Prisma, Tx } from "@sluice/db";
import { recordAudit } from "../audit/record-audit";
import type { WorkspaceContext } from "../context";
import { AppError } from "../errors";
import { computeNextRunAt } from "../schedules/next-run-at";
import { SYNC_VIEW_INCLUDE, type SyncRowWithNames, type SyncView, syncAuditImage, toSyncView } from "./sync-view";

export interface SyncData {
  name: string;
  modelId: string;
  destinationId: string;
  object: string | null;
  mode: SyncMode;
  mappings: MappingSpec;
  schedule: Schedule;
  enabled: boolean;
}

/** When the scheduler should next start the sync: never for manual or disabled syncs. */
export function nextRunFor(schedule: Schedule, enabled: boolean, now = new Date()): Date | null {
  return enabled ? computeNextRunAt(schedule, now) : null;
}

export async function insertSync(tx: Tx, ctx: WorkspaceContext, data: SyncData): Promise<SyncView> {
  const row = await tx.sync.create({
    data: {
      workspaceId: ctx.workspaceId,
      ...data,
      mappings: data.mappings as Prisma.InputJsonValue,
      schedule: data.schedule as Prisma.InputJsonValue,
      nextRunAt: nextRunFor(data.schedule, data.enabled),
    },
    include: SYNC_VIEW_INCLUDE,
  });
  const view = toSyncView(row);
  await recordAudit(tx, ctx, { action: "sync.create", targetType: "sync", targetId: row.id, after: syncAuditImage(view) });
  return view;
}

export async function changeSync(
  tx: Tx,
  ctx: WorkspaceContext,
  row: SyncRowWithNames,
  changes: Partial<SyncData>,
): Promise<SyncView> {
  const data: Prisma.SyncUncheckedUpdateInput = { ...changes };
  if (changes.mappings !== undefined) data.mappings = changes.mappings as Prisma.InputJsonValue;
  if (changes.schedule !== undefined) data.schedule = changes.schedule as Prisma.InputJsonValue;
  const before = toSyncView(row);
  const schedule = changes.schedule ?? before.schedule;
  const enabled = changes.enabled ?? before.enabled;
  // Only a new schedule or switching the sync on/off moves the next run; other edits keep the scheduler's slot.
  if (JSON.stringify(schedule) !== JSON.stringify(before.schedule) || enabled !== before.enabled) {
    data.nextRunAt = nextRunFor(schedule, enabled);
  }
  const updated = await tx.sync.update({ where: { id: row.id }, data, include: SYNC_VIEW_INCLUDE });
  const view = toSyncView(updated);
  await recordAudit(tx, ctx, {
    action: "sync.update",
    targetType: "sync",
    targetId: row.id,
    before: syncAuditImage(before),
    after: syncAuditImage(view),
  });
  return view;
}

/** The model and destination must be this workspace's: a foreign id is a field error, never a reveal. */
export async function assertSyncReferences(
  tx: Tx,
  ctx: WorkspaceContext,
  refs: { modelId?: string; destinationId?: string },
): Promise<void> {
  const fieldErrors: Record<string, string[]> = {};
  if (refs.modelId !== undefined) {
    const model = await tx.model.findFirst({ where: { id: refs.modelId, workspaceId: ctx.workspaceId }, select: { id: true } });
    if (!model) fieldErrors.modelId = ["Model not found"];
  }
  if (refs.destinationId !== undefined) {
    const where = { id: refs.destinationId, workspaceId: ctx.workspaceId };
    const destination = await tx.destination.findFirst({ where, select: { id: true } });
    if (!destination) fieldErrors.destinationId = ["Destination not found"];
  }
  if (Object.keys(fieldErrors).length > 0) {
    throw new AppError("BAD_REQUEST", "The sync refers to something that does not exist in this workspace.", fieldErrors);
  }
}
