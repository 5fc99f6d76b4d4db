// The workspace's audit log, newest first, paged by id (a cursor that never skips or repeats rows
// while new entries arrive, unlike offsets).
import { ListAuditLogInput } from "@sluice/contracts/audit";
import { authorize, type WorkspaceContext } from "../context";
import { parseInput } from "../validate-input";

export const AUDIT_PAGE_DEFAULT = 50;

export interface AuditEntryView {
  id: string;
  action: string;
  targetType: string;
  targetId: string | null;
  actor: { type: "user" | "apiKey" | "system"; id: string | null; name: string | null };
  before: unknown;
  after: unknown;
  createdAt: Date;
}

export async function listAuditLog(
  ctx: WorkspaceContext,
  input: { cursor?: string; limit?: number } = {},
): Promise<{ items: AuditEntryView[]; nextCursor?: string }> {
  authorize(ctx, "audit.read");
  const { cursor, limit = AUDIT_PAGE_DEFAULT } = parseInput(ListAuditLogInput, input);
  const rows = await ctx.db.auditLog.findMany({
    where: { workspaceId: ctx.workspaceId, ...(cursor ? { id: { lt: BigInt(cursor) } } : {}) },
    orderBy: { id: "desc" },
    take: limit + 1,
  });
  const page = rows.slice(0, limit);
  const names = await actorNames(ctx, page);
  const items = page.map((r): AuditEntryView => {
    const actorId = r.actorUserId ?? r.actorApiKeyId;
    const type = r.actorUserId ? "user" : r.actorApiKeyId ? "apiKey" : "system";
    return {
      id: r.id.toString(),
      action: r.action,
      targetType: r.targetType,
      targetId: r.targetId,
      actor: { type, id: actorId, name: actorId ? (names.get(actorId) ?? null) : null },
      before: r.before,
      after: r.after,
      createdAt: r.createdAt,
    };
  });
  const last = page.at(-1);
  return rows.length > limit && last ? { items, nextCursor: last.id.toString() } : { items };
}

async function actorNames(ctx: WorkspaceContext, rows: { actorUserId: string | null; actorApiKeyId: string | null }[]) {
  const userIds = [...new Set(rows.flatMap((r) => (r.actorUserId ? [r.actorUserId] : [])))];
  const keyIds = [...new Set(rows.flatMap((r) => (r.actorApiKeyId ? [r.actorApiKeyId] : [])))];
  const [users, keys] = await Promise.all([
    userIds.length ? ctx.db.user.findMany({ where: { id: { in: userIds } }, select: { id: true, name: true } }) : [],
    keyIds.length
      ? ctx.db.apiKey.findMany({ where: { id: { in: keyIds }, workspaceId: ctx.workspaceId }, select: { id: true, name: true } })
      : [],
  ]);
  return new Map<string, string>([...users, ...keys].map((x) => [x.id, x.name]));
}
