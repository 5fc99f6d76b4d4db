import { authorize } from "@sluice/core/context";
import { deleteSync } from "@sluice/core/syncs/delete-sync";
import { updateSync } from "@sluice/core/syncs/update-sync";
import { findSync } from "@/server/rest/find-sync";
import { apiRoute } from "@/server/rest/handler";
import { readBody, respond } from "@/server/rest/io";
import { DeletedResponse, SyncParams, SyncResponse, UpdateSyncBody } from "@/server/rest/schemas";

export const dynamic = "force-dynamic";

export const GET = apiRoute(SyncParams, async ({ workspace, params }) =>
  respond(SyncResponse, { data: await findSync(workspace, params.id) }),
);

export const PATCH = apiRoute(SyncParams, async ({ req, workspace, params }) => {
  authorize(workspace, "sync.write");
  const changes = await readBody(req, UpdateSyncBody);
  const { id } = await findSync(workspace, params.id);
  return respond(SyncResponse, { data: await updateSync(workspace, { ...changes, id }) });
});

export const DELETE = apiRoute(SyncParams, async ({ workspace, params }) => {
  authorize(workspace, "sync.write");
  const { id } = await findSync(workspace, params.id);
  await deleteSync(workspace, { id });
  return respond(DeletedResponse, { data: { id, deleted: true } });
});
