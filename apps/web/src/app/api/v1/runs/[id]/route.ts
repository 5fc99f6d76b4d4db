import { getRun } from "@sluice/core/runs/get-run";
import { apiRoute } from "@/server/rest/handler";
import { respond } from "@/server/rest/io";
import { RunParams, RunResponse } from "@/server/rest/schemas";

export const dynamic = "force-dynamic";

export const GET = apiRoute(RunParams, async ({ workspace, params }) =>
  respond(RunResponse, { data: await getRun(workspace, { runId: params.id }) }),
);
