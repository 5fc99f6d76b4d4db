// Renames a destination and/or replaces its config. A secret left out of the new config, or sent back as the
// mask, keeps its stored value — forms never hold real secrets, so they send the mask.
import { UpdateDestinationInput } from "@sluice/contracts/connections";
import type { Destination, Prisma, Tx } from "@sluice/db";
import { recordAudit } from "../audit/record-audit";
import { openStored } from "../connections/config-secrets";
import { toConnectionView } from "../connections/connection-view";
import { destinationFor } from "../connections/connector-for";
import { prepareConfig } from "../connections/prepare-config";
import { authorize, type WorkspaceContext } from "../context";
import { isUniqueViolation, parseInput } from "../validate-input";
import { type DestinationView, destinationNameTaken, destinationNotFound } from "./destination-view";

export async function updateDestination(
  ctx: WorkspaceContext,
  input: { id: string; name?: string; config?: Record<string, unknown> },
): Promise<DestinationView> {
  authorize(ctx, "destination.write");
  const { id, name, config } = parseInput(UpdateDestinationInput, input);
  const row = await ctx.db.destination.findFirst({ where: { id, workspaceId: ctx.workspaceId } });
  if (!row) throw destinationNotFound();
  const data: Prisma.DestinationUpdateInput = {};
  if (name !== undefined) data.name = name;
  if (config !== undefined) {
    const prepared = prepareConfig(destinationFor(row.type), config, openStored(row, ctx.keyring), ctx.keyring);
    data.config = prepared.plain as Prisma.InputJsonValue;
    data.encryptedSecrets = prepared.encryptedSecrets;
    data.encryptionKeyId = prepared.encryptionKeyId;
  }
  try {
    return await ctx.db.$transaction((tx) => changeDestination(tx, ctx, row, data));
  } catch (error) {
    if (isUniqueViolation(error)) throw destinationNameTaken(name ?? row.name);
    throw error;
  }
}

/** The write half of updateDestination: `row` is the stored row (the audit's "before"), `data` already validated. */
export async function changeDestination(
  tx: Tx,
  ctx: WorkspaceContext,
  row: Destination,
  data: Prisma.DestinationUpdateInput,
): Promise<DestinationView> {
  const updated = await tx.destination.update({ where: { id: row.id }, data });
  const view = toConnectionView(updated, ctx.keyring);
  await recordAudit(tx, ctx, {
    action: "destination.update",
    targetType: "destination",
    targetId: row.id,
    before: toConnectionView(row, ctx.keyring),
    after: view,
  });
  return view;
}
