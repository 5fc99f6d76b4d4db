// Registers a destination. The config is validated by the connector's schema before anything is written;
// secret fields are sealed, and what comes back (and goes to the audit log) is the masked view.
import { CreateDestinationInput } from "@sluice/contracts/connections";
import type { Prisma, Tx } from "@sluice/db";
import { recordAudit } from "../audit/record-audit";
import { toConnectionView } from "../connections/connection-view";
import { destinationFor } from "../connections/connector-for";
import { type PreparedConfig, prepareConfig } from "../connections/prepare-config";
import { authorize, type WorkspaceContext } from "../context";
import { isUniqueViolation, parseInput } from "../validate-input";
import { type DestinationView, destinationNameTaken } from "./destination-view";

export async function createDestination(
  ctx: WorkspaceContext,
  input: { name: string; type: string; config: Record<string, unknown> },
): Promise<DestinationView> {
  authorize(ctx, "destination.write");
  const { name, type, config } = parseInput(CreateDestinationInput, input);
  const prepared = prepareConfig(destinationFor(type), config, {}, ctx.keyring);
  try {
    return await ctx.db.$transaction((tx) => insertDestination(tx, ctx, { name, type, prepared }));
  } catch (error) {
    if (isUniqueViolation(error)) throw destinationNameTaken(name);
    throw error;
  }
}

/** The write half of createDestination, for callers that validated already and hold a transaction (applyConfig). */
export async function insertDestination(
  tx: Tx,
  ctx: WorkspaceContext,
  input: { name: string; type: string; prepared: PreparedConfig },
): Promise<DestinationView> {
  const { prepared } = input;
  const row = await tx.destination.create({
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
  await recordAudit(tx, ctx, { action: "destination.create", targetType: "destination", targetId: row.id, after: view });
  return view;
}
