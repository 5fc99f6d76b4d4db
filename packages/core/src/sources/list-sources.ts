import { IdInput } from "@sluice/contracts/connections";
import { toConnectionView } from "../connections/connection-view";
import { authorize, type WorkspaceContext } from "../context";
import { parseInput } from "../validate-input";
import { type SourceView, sourceNotFound } from "./source-view";

export async function listSources(ctx: WorkspaceContext): Promise<SourceView[]> {
  authorize(ctx, "source.read");
  const rows = await ctx.db.source.findMany({ where: { workspaceId: ctx.workspaceId }, orderBy: { name: "asc" } });
  return rows.map((r) => toConnectionView(r, ctx.keyring));
}

export async function getSource(ctx: WorkspaceContext, input: { id: string }): Promise<SourceView> {
  authorize(ctx, "source.read");
  const { id } = parseInput(IdInput, input);
  const row = await ctx.db.source.findFirst({ where: { id, workspaceId: ctx.workspaceId } });
  if (!row) throw sourceNotFound();
  return toConnectionView(row, ctx.keyring);
}
