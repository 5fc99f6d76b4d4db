import { CreateApiKeyInput, RevokeApiKeyInput } from "@sluice/contracts/api-keys";
import { createApiKey, listApiKeys, revokeApiKey } from "@sluice/core";
import type { TRPCRouterRecord } from "@trpc/server";
import { workspaceProcedure } from "../init";

export const apiKeyRouter = {
  list: workspaceProcedure.query(({ ctx }) => listApiKeys(ctx.workspace)),
  /** Returns the plaintext key: the only time it ever leaves the server. */
  create: workspaceProcedure
    .input(CreateApiKeyInput)
    .mutation(({ ctx, input }) => createApiKey(ctx.workspace, { name: input.name, role: input.role })),
  revoke: workspaceProcedure.input(RevokeApiKeyInput).mutation(({ ctx, input }) => revokeApiKey(ctx.workspace, { id: input.id })),
} satisfies TRPCRouterRecord;
