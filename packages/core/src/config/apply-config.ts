// `sluice apply`: creates or updates sources, destinations, models and syncs from a config file. The whole
// file is validated first (planConfig); then every write happens in ONE transaction, reusing the write
// halves of the create/update functions (same audit entries, same sealing), so a failure leaves nothing.
import type { SluiceConfigFile, SluiceConfigInput } from "@sluice/contracts/sluice-config";
import type { Prisma, Tx } from "@sluice/db";
import { authorize, type WorkspaceContext } from "../context";
import { insertDestination } from "../destinations/create-destination";
import { changeDestination } from "../destinations/update-destination";
import { AppError } from "../errors";
import { insertModel } from "../models/create-model";
import { changeModel } from "../models/update-model";
import { insertSource } from "../sources/create-source";
import { changeSource } from "../sources/update-source";
import { changeSync, insertSync } from "../syncs/sync-writes";
import { isUniqueViolation } from "../validate-input";
import { type ConnectionStep, type PlanEntry, planConfig } from "./plan-config";

const APPLY_TIMEOUT_MS = 60_000;

export interface ApplyConfigResult {
  plan: PlanEntry[];
  dryRun: boolean;
}

export async function applyConfig(
  ctx: WorkspaceContext,
  file: SluiceConfigInput | SluiceConfigFile,
  options: { dryRun?: boolean } = {},
): Promise<ApplyConfigResult> {
  const permissions = [
    ["sources", "source.write"],
    ["destinations", "destination.write"],
    ["models", "model.write"],
    ["syncs", "sync.write"],
  ] as const;
  for (const [section, permission] of permissions) {
    const entries = (file as Record<string, unknown>)[section];
    if (Array.isArray(entries) && entries.length > 0) authorize(ctx, permission);
  }
  const plan = await planConfig(ctx, file);
  const entries = [...plan.sources, ...plan.destinations, ...plan.models, ...plan.syncs].map(
    ({ kind, name, action, changes }): PlanEntry => ({ kind, name, action, changes }),
  );
  const dryRun = options.dryRun ?? false;
  if (dryRun || entries.every((e) => e.action === "unchanged")) return { plan: entries, dryRun };

  try {
    await ctx.db.$transaction(
      async (tx) => {
        const sourceIds = await writeConnections(tx, ctx, plan.sources);
        const destinationIds = await writeConnections(tx, ctx, plan.destinations);
        const modelIds = new Map<string, string>();
        for (const step of plan.models) {
          const sourceId = sourceIds.get(step.sourceName) ?? (await idOf(tx.source, ctx, step.sourceName));
          const data = { ...step.data, sourceId };
          if (step.action === "create") modelIds.set(step.name, (await insertModel(tx, ctx, data)).id);
          else if (step.existing) {
            if (step.action === "update") await changeModel(tx, ctx, step.existing, data);
            modelIds.set(step.name, step.existing.id);
          }
        }
        for (const step of plan.syncs) {
          const modelId = modelIds.get(step.modelName) ?? (await idOf(tx.model, ctx, step.modelName));
          const destinationId =
            destinationIds.get(step.destinationName) ?? (await idOf(tx.destination, ctx, step.destinationName));
          const data = { ...step.data, modelId, destinationId };
          if (step.action === "create") await insertSync(tx, ctx, data);
          else if (step.action === "update" && step.existing) await changeSync(tx, ctx, step.existing, data);
        }
      },
      { timeout: APPLY_TIMEOUT_MS },
    );
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new AppError(
        "CONFLICT",
        "Another change to this workspace happened while applying; nothing was changed — run apply again.",
      );
    }
    throw error;
  }
  return { plan: entries, dryRun };
}

/** Creates or updates each source (or destination) and returns every name in the file → id. */
async function writeConnections(tx: Tx, ctx: WorkspaceContext, steps: ConnectionStep[]): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  for (const step of steps) {
    const prepared = { full: {}, plain: step.plain, ...step.sealed };
    if (step.action === "create") {
      const insert = step.kind === "source" ? insertSource : insertDestination;
      ids.set(step.name, (await insert(tx, ctx, { name: step.name, type: step.type, prepared })).id);
      continue;
    }
    if (!step.existing) continue;
    ids.set(step.name, step.existing.id);
    if (step.action !== "update") continue;
    const data = { config: step.plain as Prisma.InputJsonValue, ...step.sealed };
    if (step.kind === "source") await changeSource(tx, ctx, step.existing, data);
    else await changeDestination(tx, ctx, step.existing, data);
  }
  return ids;
}

/** An object the file refers to but does not define: it exists in the workspace (planConfig checked). */
async function idOf(
  table: {
    findFirst(args: { where: { workspaceId: string; name: string }; select: { id: true } }): Promise<{ id: string } | null>;
  },
  ctx: WorkspaceContext,
  name: string,
): Promise<string> {
  const row = await table.findFirst({ where: { workspaceId: ctx.workspaceId, name }, select: { id: true } });
  if (!row) throw new AppError("CONFLICT", `"${name}" was deleted while applying; nothing was changed — run apply again.`);
  return row.id;
}
