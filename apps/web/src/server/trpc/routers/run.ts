import { getRunDetail, RunDetailInput } from "@sluice/core/runs/get-run-detail";
import {
  listRunOutcomeGroups,
  RetryFailedInput,
  RunOutcomeGroupsInput,
  retryFailedRecords,
} from "@sluice/core/runs/list-run-outcome-groups";
import { getRunHistory, ListRunPageInput, listRunPage, RunHistoryInput } from "@sluice/core/runs/run-history";
import type { TRPCRouterRecord } from "@trpc/server";
import { workspaceProcedure } from "../init";

// A sync's run history. Reading is for viewers; retryFailed starts a run, which needs an editor (core checks).
export const runRouter = {
  /** Newest first, `limit` (≤ 100, default 20) a page; pass `nextCursor` back as `cursor`. */
  list: workspaceProcedure
    .input(ListRunPageInput)
    .query(({ ctx, input }) => listRunPage(ctx.workspace, { syncId: input.syncId, limit: input.limit, cursor: input.cursor })),
  detail: workspaceProcedure.input(RunDetailInput).query(({ ctx, input }) => getRunDetail(ctx.workspace, { runId: input.runId })),
  /** Rejected/failed records by reason; with `status` + `reason` (+ `cursor`), the next examples of one group. */
  outcomeGroups: workspaceProcedure.input(RunOutcomeGroupsInput).query(({ ctx, input }) => {
    const { workspace: _workspace, ...rest } = input;
    return listRunOutcomeGroups(ctx.workspace, rest);
  }),
  /** The chart: the last `limit` (≤ 200, default 50) runs, oldest first. */
  history: workspaceProcedure
    .input(RunHistoryInput)
    .query(({ ctx, input }) => getRunHistory(ctx.workspace, { syncId: input.syncId, limit: input.limit })),
  /** Starts a run now; the engine retries the last run's failed records in every next run. */
  retryFailed: workspaceProcedure
    .input(RetryFailedInput)
    .mutation(({ ctx, input }) => retryFailedRecords(ctx.workspace, { syncId: input.syncId })),
} satisfies TRPCRouterRecord;
