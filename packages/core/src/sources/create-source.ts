// Registers a warehouse. The config is validated by the connector's schema before anything is written;
// secret fields are sealed, and what comes back (and goes to the audit log) is the masked view.
import { CreateSourceInput } from "@sluice/contracts/connections";
import type { Prisma } from "@sluice/db";
import { recordAudit } from "../audit/record-audit";
import { toConnectionView } from "../connections/connection-view";
import { warehouseFor } from "../connections/connector-for";
import { prepareConfig } from "../connections/prepare-config";
import { authorize, type WorkspaceContext } from "../context";
import { isUniqueViolation, parseInput } from "../validate-input";
import { type SourceView, sourceNameTaken } from "./source-view";

export async function createSource(
  ctx: WorkspaceContext,
  input: { name: string; type: string; config: Record<string, unknown> },
): Promise<SourceView> {
  authorize(ctx, "source.write");
  const { name, type, config } = parseInput(CreateSourceInput, input);
  const prepared = prepareConfig(warehouseFor(type), config, {}, ctx.keyring);
  try {
    return await ctx.db.$transaction(async (tx) => {
      const row = await tx.source.create({
        data: {
          workspaceId: ctx.workspaceId,
          name,
          type,
          config: prepared.plain as Prisma.InputJsonValue,
          encryptedSecrets: prepared.encryptedSecrets,
          encryptionKeyId: prepared.encryptionKeyId,
        },
      });
      const view = toConnectionView(row, ctx.keyring);
      await recordAudit(tx, ctx, { action: "source.create", targetType: "source", targetId: row.id, after: view });
      return view;
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw sourceNameTaken(name);
    throw error;
  }
}
