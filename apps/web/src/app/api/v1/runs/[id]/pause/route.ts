// A queued run pauses at once; a running one finishes its in-flight batch, checkpoints and stops (pauseRun).
import { pauseRun } from "@sluice/core/runs/pause-run";
import { apiRoute } from "@/server/rest/handler";
import { respond } from "@/server/rest/io";
import { RunParams, RunResponse } from "@/server/rest/schemas";

export const dynamic = "force-dynamic";

export const POST = apiRoute(RunParams, async ({ workspace, params }) =>
  respond(RunResponse, { data: await pauseRun(workspace, { runId: params.id }) }),
);
