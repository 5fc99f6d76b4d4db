// Renames a source and/or replaces its config. A secret left out of the new config, or sent back as the
// mask, keeps its stored value — forms never hold real secrets, so they send the mask.
import { UpdateSourceInput } from "@sluice/contracts/connections";
import type { Prisma, Source, Tx } from "@sluice/db";
import { recordAudit } from "../audit/record-audit";
import { openStored } from "../connections/config-secrets";
import { toConnectionView } from "../connections/connection-view";
import { warehouseFor } from "../connections/connector-for";
import { prepareConfig } from "../connections/prepare-config";
import { authorize, type WorkspaceContext } from "../context";
import { isUniqueViolation, parseInput } from "../validate-input";
import { type SourceView, sourceNameTaken, sourceNotFound } from "./source-view";

export async function updateSource(
  ctx: WorkspaceContext,
  input: { id: string; name?: string; config?: Record<string, unknown> },
): Promise<SourceView> {
  authorize(ctx, "source.write");
  const { id, name, config } = parseInput(UpdateSourceInput, input);
  const row = await ctx.db.source.findFirst({ where: { id, workspaceId: ctx.workspaceId } });
  if (!row) throw sourceNotFound();
  const data: Prisma.SourceUpdateInput = {};
  if (name !== undefined) data.name = name;
  if (config !== undefined) {
    const prepared = prepareConfig(warehouseFor(row.type), config, openStored(row, ctx.keyring), ctx.keyring);
    data.config = prepared.plain as Prisma.InputJsonValue;
    data.encryptedSecrets = prepared.encryptedSecrets;
    data.encryptionKeyId = prepared.encryptionKeyId;
  }
  try {
    return await ctx.db.$transaction((tx) => changeSource(tx, ctx, row, data));
  } catch (error) {
    if (isUniqueViolation(error)) throw sourceNameTaken(name ?? row.name);
    throw error;
  }
}

/** The write half of updateSource: `row` is the stored row (the audit's "before"), `data` already validated. */
export async function changeSource(
  tx: Tx,
  ctx: WorkspaceContext,
  row: Source,
  data: Prisma.SourceUpdateInput,
): Promise<SourceView> {
  const updated = await tx.source.update({ where: { id: row.id }, data });
  const view = toConnectionView(updated, ctx.keyring);
  await recordAudit(tx, ctx, {
    action: "source.update",
    targetType: "source",
    targetId: row.id,
    before: toConnectionView(row, ctx.keyring),
    after: view,
  });
  return view;
}
