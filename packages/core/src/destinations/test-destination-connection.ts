// Runs the destination's connection check on unsaved settings ({ type, config }) or on a saved destination
// ({ id }, optionally with edited config whose masked secrets fall back to the stored ones).
import { type ConnectionCheck, TestConnectionInput } from "@sluice/contracts/connections";
import { openStored } from "../connections/config-secrets";
import { destinationFor } from "../connections/connector-for";
import { validateConfig } from "../connections/prepare-config";
import { authorize, type WorkspaceContext } from "../context";
import { parseInput } from "../validate-input";
import { destinationNotFound } from "./destination-view";

export async function testDestinationConnection(
  ctx: WorkspaceContext,
  input: { type: string; config: Record<string, unknown> } | { id: string; config?: Record<string, unknown> },
): Promise<ConnectionCheck> {
  // Write permission: a test makes the server send a request to an address the caller chose.
  authorize(ctx, "destination.write");
  const parsed = parseInput(TestConnectionInput, input);
  let type: string;
  let config: Record<string, unknown>;
  let destinationId: string | undefined;
  if ("id" in parsed) {
    const row = await ctx.db.destination.findFirst({ where: { id: parsed.id, workspaceId: ctx.workspaceId } });
    if (!row) throw destinationNotFound();
    const stored = openStored(row, ctx.keyring);
    ({ type, id: destinationId } = row);
    config = validateConfig(destinationFor(type), parsed.config ?? { ...(row.config as object) }, stored);
  } else {
    type = parsed.type;
    config = validateConfig(destinationFor(type), parsed.config, {});
  }
  const check = await destinationFor(type).testConnection(config, { allowPrivate: ctx.allowPrivateDestinations ?? false });
  const failed = check.steps.find((s) => !s.ok);
  ctx.log.info(
    { workspaceId: ctx.workspaceId, destinationId, type, ok: check.ok, failedStep: failed?.name, reason: failed?.message },
    "destination connection tested",
  );
  return check;
}
