// Runs the warehouse's connection check on unsaved settings ({ type, config }) or on a saved source
// ({ id }, optionally with edited config whose masked secrets fall back to the stored ones). `schemas` names
// the schemas models will read, so the check proves read access there (they are not part of the config).
import { type ConnectionCheck, TestConnectionInput } from "@sluice/contracts/connections";
import { z } from "zod";
import { openStored } from "../connections/config-secrets";
import { warehouseFor } from "../connections/connector-for";
import { validateConfig } from "../connections/prepare-config";
import { authorize, type WorkspaceContext } from "../context";
import { parseInput } from "../validate-input";
import { sourceNotFound } from "./source-view";

export const SchemasToReadInput = z.object({
  schemas: z
    .array(z.string().trim().min(1, "Enter a schema name").max(63, "Use at most 63 characters"))
    .max(50, "Check at most 50 schemas at once")
    .optional(),
});

export async function testSourceConnection(
  ctx: WorkspaceContext,
  input: ({ type: string; config: Record<string, unknown> } | { id: string; config?: Record<string, unknown> }) & {
    schemas?: string[];
  },
): Promise<ConnectionCheck> {
  // Write permission: a test opens connections from the server and writes a probe table in the warehouse.
  authorize(ctx, "source.write");
  const parsed = parseInput(TestConnectionInput, input);
  const { schemas } = parseInput(SchemasToReadInput, { schemas: input.schemas });
  let type: string;
  let config: Record<string, unknown>;
  let sourceId: string | undefined;
  if ("id" in parsed) {
    const row = await ctx.db.source.findFirst({ where: { id: parsed.id, workspaceId: ctx.workspaceId } });
    if (!row) throw sourceNotFound();
    const stored = openStored(row, ctx.keyring);
    ({ type, id: sourceId } = row);
    config = validateConfig(warehouseFor(type), parsed.config ?? { ...(row.config as object) }, stored);
  } else {
    type = parsed.type;
    config = validateConfig(warehouseFor(type), parsed.config, {});
  }
  const check = await warehouseFor(type).testConnection(config, { schemas: schemas ?? [] });
  const failed = check.steps.find((s) => !s.ok);
  ctx.log.info(
    { workspaceId: ctx.workspaceId, sourceId, type, ok: check.ok, failedStep: failed?.name, reason: failed?.message },
    "source connection tested",
  );
  return check;
}
