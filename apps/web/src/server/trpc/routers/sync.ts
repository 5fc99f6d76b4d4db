import { cancelRun } from "@sluice/core/runs/cancel-run";
import { listLatestRuns } from "@sluice/core/runs/list-latest-runs";
import { listRuns } from "@sluice/core/runs/list-runs";
import { pauseRun } from "@sluice/core/runs/pause-run";
import { resumeRun } from "@sluice/core/runs/resume-run";
import { triggerRun } from "@sluice/core/runs/trigger-run";
import { listSyncs } from "@sluice/core/syncs/list-syncs";
import type { TRPCRouterRecord } from "@trpc/server";
import { z } from "zod";
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
} satisfies TRPCRouterRecord;
