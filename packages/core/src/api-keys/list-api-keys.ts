import { authorize, type WorkspaceContext } from "../context";
import { type ApiKeyView, toApiKeyView } from "./api-key-view";

export async function listApiKeys(ctx: WorkspaceContext): Promise<ApiKeyView[]> {
  authorize(ctx, "apiKey.read");
  const rows = await ctx.db.apiKey.findMany({ where: { workspaceId: ctx.workspaceId }, orderBy: { createdAt: "desc" } });
  return rows.map(toApiKeyView);
}
