// Whether this workspace has the demo registered, for the dashboard's "Load demo" prompt and inbox link.
import { authorize, type WorkspaceContext } from "../context";
import { findDemoObjects } from "./demo-objects";

export interface DemoStatus {
  /** True when the demo source, destination and model all exist. */
  loaded: boolean;
  sourceId: string | null;
  destinationId: string | null;
  modelId: string | null;
  /** Records currently held by the demo inbox. */
  inboxRecords: number;
}

export async function getDemoStatus(ctx: WorkspaceContext): Promise<DemoStatus> {
  authorize(ctx, "workspace.read");
  const { source, destination, model } = await findDemoObjects(ctx);
  const inboxRecords = destination ? await ctx.db.demoInboxRecord.count({ where: { destinationId: destination.id } }) : 0;
  return {
    loaded: Boolean(source && destination && model),
    sourceId: source?.id ?? null,
    destinationId: destination?.id ?? null,
    modelId: model?.id ?? null,
    inboxRecords,
  };
}
