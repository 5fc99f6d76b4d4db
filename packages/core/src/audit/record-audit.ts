// Who changed what, written in the same transaction as the change: no change without its entry.
import type { Prisma, Tx } from "@sluice/db";
import type { WorkspaceContext } from "../context";
import { maskSecretsDeep } from "./mask-secrets";

export interface AuditInput {
  /** Verb-noun, e.g. "source.create". */
  action: string;
  targetType: string;
  targetId?: string | null;
  before?: unknown;
  after?: unknown;
}

/**
 * A system actor (CLI, scheduler) leaves both actor columns empty, which the log shows as Sluice itself.
 * Its name is not stored yet: that needs an `actorSystem` column (schema change requested).
 */
export async function recordAudit(tx: Tx, ctx: WorkspaceContext, input: AuditInput): Promise<void> {
  await tx.auditLog.create({
    data: {
      workspaceId: ctx.workspaceId,
      actorUserId: ctx.actor.type === "user" ? ctx.actor.userId : null,
      actorApiKeyId: ctx.actor.type === "apiKey" ? ctx.actor.apiKeyId : null,
      action: input.action,
      targetType: input.targetType,
      targetId: input.targetId ?? null,
      before: toJson(input.before),
      after: toJson(input.after),
    },
  });
}

function toJson(value: unknown): Prisma.InputJsonValue | undefined {
  if (value === undefined || value === null) return undefined;
  return maskSecretsDeep(value) as Prisma.InputJsonValue;
}
