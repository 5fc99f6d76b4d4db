// The workspace the CLI (or another system process) acts in, by slug, created when missing. Whoever runs
// the CLI holds the database credentials already, so it acts as a system actor with owner rights; a
// workspace created here has no members until someone is added in the UI.
import { WorkspaceSlug } from "@sluice/contracts/workspaces";
import { recordAudit } from "../audit/record-audit";
import { type Services, systemContext, type WorkspaceContext } from "../context";
import { AppError } from "../errors";
import { isUniqueViolation } from "../validate-input";

export async function resolveSystemWorkspace(
  s: Services,
  o: { slug: string; actorName: string; create?: boolean },
): Promise<WorkspaceContext & { created: boolean }> {
  const parsed = WorkspaceSlug.safeParse(o.slug);
  if (!parsed.success) throw new AppError("BAD_REQUEST", `Invalid workspace "${o.slug}": ${parsed.error.issues[0]?.message}`);
  const slug = parsed.data;
  const existing = await s.db.workspace.findUnique({ where: { slug }, select: { id: true } });
  if (existing)
    return { ...systemContext(s, { workspaceId: existing.id, workspaceSlug: slug, name: o.actorName }), created: false };
  if (o.create === false) throw new AppError("NOT_FOUND", `No workspace "${slug}".`);
  try {
    return await s.db.$transaction(async (tx) => {
      const workspace = await tx.workspace.create({ data: { slug, name: slug } });
      const ctx = systemContext(s, { workspaceId: workspace.id, workspaceSlug: slug, name: o.actorName });
      const after = { id: workspace.id, slug, name: slug };
      await recordAudit(tx, ctx, { action: "workspace.create", targetType: "workspace", targetId: workspace.id, after });
      return { ...ctx, created: true };
    });
  } catch (error) {
    // Another process created it meanwhile: use theirs.
    if (isUniqueViolation(error)) return resolveSystemWorkspace(s, { ...o, create: false });
    throw error;
  }
}
