import { deleteSource, getSource } from "@sluice/core";
import { z } from "zod";
import { apiRoute, ok } from "@/server/rest/handler";

export const dynamic = "force-dynamic";

const Params = z.object({ id: z.string().min(1).max(64) });

export const GET = apiRoute(Params, async ({ workspace, params }) => ok(await getSource(workspace, { id: params.id })));

export const DELETE = apiRoute(Params, async ({ workspace, params }) => {
  await deleteSource(workspace, { id: params.id });
  return ok({ id: params.id, deleted: true });
});
