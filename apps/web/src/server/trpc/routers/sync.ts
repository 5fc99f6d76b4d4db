import { IdInput } from "@sluice/contracts/connections";
import { CreateSyncInput, UpdateSyncInput } from "@sluice/contracts/sync-config";
import { cancelRun } from "@sluice/core/runs/cancel-run";
import { listLatestRuns } from "@sluice/core/runs/list-latest-runs";
import { listRuns } from "@sluice/core/runs/list-runs";
import { pauseRun } from "@sluice/core/runs/pause-run";
import { resumeRun } from "@sluice/core/runs/resume-run";
import { triggerRun } from "@sluice/core/runs/trigger-run";
import { createSync } from "@sluice/core/syncs/create-sync";
import { deleteSync } from "@sluice/core/syncs/delete-sync";
import { getSyncSettings } from "@sluice/core/syncs/describe-mode";
import { EstimateFullResyncInput, estimateFullResync } from "@sluice/core/syncs/estimate-full-resync";
import { listSyncs } from "@sluice/core/syncs/list-syncs";
import { PreviewScheduleInput, previewSchedule } from "@sluice/core/syncs/preview-schedule";
import { updateSync } from "@sluice/core/syncs/update-sync";
import type { TRPCRouterRecord } from "@trpc/server";
import { z } from "zod";
import { issueLiveToken } from "@/server/live-token";
import { workspaceProcedure } from "../init";

const RunIdInput = z.object({ runId: z.string().min(1) });

export const syncRouter = {
  /** Every sync with its model and destination names and its latest run (null when it never ran). */
  list: workspaceProcedure.query(async ({ ctx }) => {
    const syncs = await listSyncs(ctx.workspace);
    const latest = await listLatestRuns(ctx.workspace, { syncIds: syncs.map((s) => s.id) });
    return syncs.map((sync) => ({ ...sync, latestRun: latest[sync.id] ?? null }));
  }),
  /** Starts a run now; when one is already under way, that run comes back with `created: false`. */
  run: workspaceProcedure
    .input(z.object({ syncId: z.string().min(1), fullResync: z.boolean().optional() }))
    .mutation(({ ctx, input }) =>
      triggerRun(ctx.workspace, { syncId: input.syncId, trigger: "manual", fullResync: input.fullResync }),
    ),
  runs: workspaceProcedure
    .input(
      z.object({
        syncId: z.string().min(1),
        limit: z.number().int().min(1).max(100).optional(),
        cursor: z.string().min(1).optional(),
      }),
    )
    .query(({ ctx, input }) => listRuns(ctx.workspace, { syncId: input.syncId, limit: input.limit, cursor: input.cursor })),
  pause: workspaceProcedure.input(RunIdInput).mutation(({ ctx, input }) => pauseRun(ctx.workspace, { runId: input.runId })),
  resume: workspaceProcedure.input(RunIdInput).mutation(({ ctx, input }) => resumeRun(ctx.workspace, { runId: input.runId })),
  cancel: workspaceProcedure.input(RunIdInput).mutation(({ ctx, input }) => cancelRun(ctx.workspace, { runId: input.runId })),
  /** A short-lived token and the worker URL for watching the sync's runs live (viewer or above). */
  liveToken: workspaceProcedure
    .input(z.object({ syncId: z.string().min(1) }))
    .mutation(({ ctx, input }) => issueLiveToken(ctx.workspace, { syncId: input.syncId })),
  // ---- sync settings (roles in core: viewers read, editors change) ----
  /** The sync with its mode described for the object it writes and its schedule in words. */
  get: workspaceProcedure.input(IdInput).query(({ ctx, input }) => getSyncSettings(ctx.workspace, { id: input.id })),
  create: workspaceProcedure.input(CreateSyncInput).mutation(({ ctx, input }) => {
    const { workspace: _workspace, ...data } = input;
    return createSync(ctx.workspace, data);
  }),
  /** Changed mappings, query or mode make the next run a full resync (the engine compares config hashes). */
  update: workspaceProcedure.input(UpdateSyncInput).mutation(({ ctx, input }) => {
    const { workspace: _workspace, ...changes } = input;
    return updateSync(ctx.workspace, changes);
  }),
  /** CONFLICT while a run is under way: cancel it first. */
  delete: workspaceProcedure.input(IdInput).mutation(({ ctx, input }) => deleteSync(ctx.workspace, { id: input.id })),
  /** Pauses or resumes the schedule (nextRunAt is cleared or recomputed); manual runs stay possible. */
  setEnabled: workspaceProcedure
    .input(z.object({ id: z.string().min(1), enabled: z.boolean() }))
    .mutation(({ ctx, input }) => updateSync(ctx.workspace, { id: input.id, enabled: input.enabled })),
  /** The next run times (UTC) of a schedule being typed, or why it is not valid yet (never an error). */
  previewSchedule: workspaceProcedure
    .input(PreviewScheduleInput)
    .query(({ input }) => previewSchedule({ schedule: input.schedule, count: input.count })),
  /** How many records "resync everything" would send; runs the model in the warehouse (editor or above). */
  estimateFullResync: workspaceProcedure
    .input(EstimateFullResyncInput)
    .mutation(({ ctx, input }) => estimateFullResync(ctx.workspace, { syncId: input.syncId })),
} satisfies TRPCRouterRecord;
