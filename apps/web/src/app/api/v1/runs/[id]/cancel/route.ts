// The run stops without committing; queued and paused runs are settled at once, running ones at their next checkpoint (cancelRun).
import { cancelRun } from "@sluice/core/runs/cancel-run";
import { apiRoute } from "@/server/rest/handler";
import { respond } from "@/server/rest/io";
import { RunParams, RunResponse } from "@/server/rest/schemas";

export const dynamic = "force-dynamic";

export const POST = apiRoute(RunParams, async ({ workspace, params }) =>
  respond(RunResponse, { data: await cancelRun(workspace, { runId: params.id }) }),
);
