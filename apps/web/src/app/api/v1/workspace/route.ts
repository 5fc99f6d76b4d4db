import { getWorkspaceSummary } from "@sluice/core";
import { z } from "zod";
import { apiRoute, ok } from "@/server/rest/handler";

export const dynamic = "force-dynamic";

export const GET = apiRoute(z.object({}), async ({ workspace }) => ok(await getWorkspaceSummary(workspace)));
