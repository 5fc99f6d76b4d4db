// A paused run continues from its checkpoint; a pause not yet reached is withdrawn (resumeRun).
import { resumeRun } from "@sluice/core/runs/resume-run";
import { apiRoute } from "@/server/rest/handler";
import { respond } from "@/server/rest/io";
import { RunParams, RunResponse } from "@/server/rest/schemas";

export const dynamic = "force-dynamic";

export const POST = apiRoute(RunParams, async ({ workspace, params }) =>
  respond(RunResponse, { data: await resumeRun(workspace, { runId: params.id }) }),
);
