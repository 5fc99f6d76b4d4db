// Registers a warehouse. The config is validated by the connector's schema before anything is written;
// secret fields are sealed, and what comes back (and goes to the audit log) is the masked view.
import { CreateSourceInput } from "@sluice/contracts/connections";
import type { Prisma, Tx } from "@sluice/db";
import { recordAudit } from "../audit/record-audit";
import { toConnectionView } from "../connections/connection-view";
import { warehouseFor } from "../connections/connector-for";
import { type PreparedConfig, prepareConfig } from "../connections/prepare-config";
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
    return await ctx.db.$transaction((tx) => insertSource(tx, ctx, { name, type, prepared }));
  } catch (error) {
    if (isUniqueViolation(error)) throw sourceNameTaken(name);
    throw error;
  }
}

/** The write half of createSource, for callers that validated already and hold a transaction (applyConfig). */
export async function insertSource(
  tx: Tx,
  ctx: WorkspaceContext,
  input: { name: string; type: string; prepared: PreparedConfig },
): Promise<SourceView> {
  const { prepared } = input;
  const row = await tx.source.create({
    data: {
      workspaceId: ctx.workspaceId,
      name: input.name,
      type: input.type,
      config: prepared.plain as Prisma.InputJsonValue,
      encryptedSecrets: prepared.encryptedSecrets,
      encryptionKeyId: prepared.encryptionKeyId,
    },
  });
  const view = toConnectionView(row, ctx.keyring);
  await recordAudit(tx, ctx, { action: "source.create", targetType: "source", targetId: row.id, after: view });
  return view;
}
