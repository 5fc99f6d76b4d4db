import { authorize } from "@sluice/core/context";
import { listRuns } from "@sluice/core/runs/list-runs";
import { triggerRun } from "@sluice/core/runs/trigger-run";
import { findSync } from "@/server/rest/find-sync";
import { apiRoute } from "@/server/rest/handler";
import { readBody, readQuery, respond } from "@/server/rest/io";
import { PageQuery, RunPage, SyncParams, TriggerRunBody, TriggerRunResponse } from "@/server/rest/schemas";

export const dynamic = "force-dynamic";

/** The sync's runs, newest first. */
export const GET = apiRoute(SyncParams, async ({ req, workspace, params }) => {
  const { limit, cursor } = readQuery(req, PageQuery);
  const { id } = await findSync(workspace, params.id);
  const { items, nextCursor } = await listRuns(workspace, { syncId: id, limit, cursor });
  return respond(RunPage, { data: items, nextCursor: nextCursor ?? null });
});

/**
 * Starts a run (202: it is queued for a worker). Runs of a sync never overlap, so while one is under way
 * every trigger answers with that run and `created: false`.
 */
export const POST = apiRoute(SyncParams, async ({ req, workspace, params }) => {
  authorize(workspace, "sync.run");
  const { fullResync } = await readBody(req, TriggerRunBody);
  const { id } = await findSync(workspace, params.id);
  const { run, created } = await triggerRun(workspace, { syncId: id, trigger: "api", fullResync });
  return respond(TriggerRunResponse, { data: run, created }, { status: 202, location: `/api/v1/runs/${run.id}` });
});
