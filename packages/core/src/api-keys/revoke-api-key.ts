// Revoking keeps the row (for the audit trail and the "revoked" label) but the key stops working at once.
import { RevokeApiKeyInput } from "@sluice/contracts/api-keys";
import { recordAudit } from "../audit/record-audit";
import { authorize, type WorkspaceContext } from "../context";
import { AppError } from "../errors";
import { parseInput } from "../validate-input";
import { type ApiKeyView, toApiKeyView } from "./api-key-view";

export async function revokeApiKey(ctx: WorkspaceContext, input: { id: string }): Promise<ApiKeyView> {
  authorize(ctx, "apiKey.manage");
  const { id } = parseInput(RevokeApiKeyInput, input);
  return ctx.db.$transaction(async (tx) => {
    const row = await tx.apiKey.findFirst({ where: { id, workspaceId: ctx.workspaceId } });
    if (!row) throw new AppError("NOT_FOUND", "API key not found.");
    if (row.revokedAt) return toApiKeyView(row);
    const revoked = await tx.apiKey.update({ where: { id }, data: { revokedAt: new Date() } });
    await recordAudit(tx, ctx, {
      action: "apiKey.revoke",
      targetType: "apiKey",
      targetId: id,
      before: { name: row.name, prefix: row.prefix, revokedAt: null },
      after: { name: row.name, prefix: row.prefix, revokedAt: revoked.revokedAt },
    });
    return toApiKeyView(revoked);
  });
}
