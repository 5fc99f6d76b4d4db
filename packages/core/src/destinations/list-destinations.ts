import { IdInput } from "@sluice/contracts/connections";
import { toConnectionView } from "../connections/connection-view";
import { authorize, type WorkspaceContext } from "../context";
import { parseInput } from "../validate-input";
import { type DestinationView, destinationNotFound } from "./destination-view";

export async function listDestinations(ctx: WorkspaceContext): Promise<DestinationView[]> {
  authorize(ctx, "destination.read");
  const rows = await ctx.db.destination.findMany({ where: { workspaceId: ctx.workspaceId }, orderBy: { name: "asc" } });
  return rows.map((r) => toConnectionView(r, ctx.keyring));
}

export async function getDestination(ctx: WorkspaceContext, input: { id: string }): Promise<DestinationView> {
  authorize(ctx, "destination.read");
  const { id } = parseInput(IdInput, input);
  const row = await ctx.db.destination.findFirst({ where: { id, workspaceId: ctx.workspaceId } });
  if (!row) throw destinationNotFound();
  return toConnectionView(row, ctx.keyring);
}
