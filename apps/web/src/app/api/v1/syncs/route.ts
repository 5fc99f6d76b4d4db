import { authorize } from "@sluice/core/context";
import { createSync } from "@sluice/core/syncs/create-sync";
import { listSyncs } from "@sluice/core/syncs/list-syncs";
import { z } from "zod";
import { apiRoute } from "@/server/rest/handler";
import { readBody, readQuery, respond } from "@/server/rest/io";
import { pageSyncs } from "@/server/rest/page-syncs";
import { CreateSyncBody, DEFAULT_PAGE_SIZE, PageQuery, SyncPage, SyncResponse } from "@/server/rest/schemas";

export const dynamic = "force-dynamic";

export const GET = apiRoute(z.object({}), async ({ req, workspace }) => {
  const { limit = DEFAULT_PAGE_SIZE, cursor } = readQuery(req, PageQuery);
  const { items, nextCursor } = pageSyncs(await listSyncs(workspace), { limit, cursor });
  return respond(SyncPage, { data: items, nextCursor });
});

export const POST = apiRoute(z.object({}), async ({ req, workspace }) => {
  // Role first, so a viewer hears 403 rather than details about a body it may not send anyway.
  authorize(workspace, "sync.write");
  const input = await readBody(req, CreateSyncBody);
  const sync = await createSync(workspace, input);
  return respond(SyncResponse, { data: sync }, { status: 201, location: `/api/v1/syncs/${sync.id}` });
});
