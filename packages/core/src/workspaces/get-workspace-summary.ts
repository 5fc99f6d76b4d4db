import type { Role } from "@sluice/contracts/roles";
import { authorize, type WorkspaceContext } from "../context";
import { AppError } from "../errors";

export interface WorkspaceSummary {
  id: string;
  slug: string;
  name: string;
  role: Role;
  counts: { sources: number; destinations: number; models: number; syncs: number; runs: number };
}

export async function getWorkspaceSummary(ctx: WorkspaceContext): Promise<WorkspaceSummary> {
  authorize(ctx, "workspace.read");
  const where = { workspaceId: ctx.workspaceId };
  const [workspace, sources, destinations, models, syncs, runs] = await Promise.all([
    ctx.db.workspace.findUnique({ where: { id: ctx.workspaceId }, select: { id: true, slug: true, name: true } }),
    ctx.db.source.count({ where }),
    ctx.db.destination.count({ where }),
    ctx.db.model.count({ where }),
    ctx.db.sync.count({ where }),
    ctx.db.syncRun.count({ where }),
  ]);
  if (!workspace) throw new AppError("NOT_FOUND", "Workspace not found.");
  return { ...workspace, role: ctx.role, counts: { sources, destinations, models, syncs, runs } };
}
