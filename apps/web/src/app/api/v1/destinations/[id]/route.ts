import { getDestination } from "@sluice/core";
import { z } from "zod";
import { apiRoute, ok } from "@/server/rest/handler";

export const dynamic = "force-dynamic";

const Params = z.object({ id: z.string().min(1).max(64) });

export const GET = apiRoute(Params, async ({ workspace, params }) => ok(await getDestination(workspace, { id: params.id })));
