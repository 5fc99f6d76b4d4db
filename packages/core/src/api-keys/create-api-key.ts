import { CreateApiKeyInput } from "@sluice/contracts/api-keys";
import { recordAudit } from "../audit/record-audit";
import { authorize, type WorkspaceContext } from "../context";
import { parseInput } from "../validate-input";
import { generateApiKey } from "./api-key-format";
import { type ApiKeyView, toApiKeyView } from "./api-key-view";

/** Returns the plaintext key once; afterwards only its prefix is ever shown. */
export async function createApiKey(
  ctx: WorkspaceContext,
  input: { name: string; role: CreateApiKeyInput["role"] },
): Promise<{ apiKey: ApiKeyView; plaintext: string }> {
  authorize(ctx, "apiKey.manage");
  const { name, role } = parseInput(CreateApiKeyInput, input);
  const { plaintext, hashedKey, prefix } = generateApiKey();
  const apiKey = await ctx.db.$transaction(async (tx) => {
    const row = await tx.apiKey.create({
      data: {
        workspaceId: ctx.workspaceId,
        name,
        role,
        prefix,
        hashedKey,
        createdById: ctx.actor.type === "user" ? ctx.actor.userId : null,
      },
    });
    const view = toApiKeyView(row);
    await recordAudit(tx, ctx, {
      action: "apiKey.create",
      targetType: "apiKey",
      targetId: row.id,
      after: { name, prefix, role },
    });
    return view;
  });
  return { apiKey, plaintext };
}
