// Works out what `sluice apply` would change, validating everything on the way: the file's shape, each
// connector's config, references between objects (in the file or already in the workspace), mappings and
// schedules. Nothing here writes; every problem is collected (with its path) before anyone decides to.
import { type ConnectorSpec, getDestination, getWarehouse, listDestinations, listWarehouses } from "@sluice/connectors";
import {
  type ConfigIssue,
  type ConfigPath,
  configIssuesFromZod,
  type SluiceConfigFile,
  SluiceConfigFileSchema,
  type SluiceConfigInput,
} from "@sluice/contracts/sluice-config";
import type { Destination, Model, Source } from "@sluice/db";
import { type Config, mergeSecrets, openStored, sealIfAny, splitSecrets } from "../connections/config-secrets";
import type { WorkspaceContext } from "../context";
import type { ModelData } from "../models/create-model";
import { SYNC_VIEW_INCLUDE, type SyncRowWithNames, toSyncView } from "../syncs/sync-view";
import type { SyncData } from "../syncs/sync-writes";
import { sameJson } from "./canonical-json";
import { ConfigInvalidError } from "./config-invalid-error";

export type PlanAction = "create" | "update" | "unchanged";
export type PlanKind = "source" | "destination" | "model" | "sync";

export interface PlanEntry {
  kind: PlanKind;
  name: string;
  action: PlanAction;
  /** For updates: which settings differ (secret values are never named beyond "config"). */
  changes: string[];
}

interface Step<Row> extends PlanEntry {
  existing?: Row;
}
export interface ConnectionStep extends Step<Source | Destination> {
  kind: "source" | "destination";
  type: string;
  plain: Config;
  sealed: { encryptedSecrets: string | null; encryptionKeyId: string | null };
}
export interface ModelStep extends Step<Model & { source: { name: string } }> {
  kind: "model";
  sourceName: string;
  data: Omit<ModelData, "sourceId">;
}
export interface SyncStep extends Step<SyncRowWithNames> {
  kind: "sync";
  modelName: string;
  destinationName: string;
  data: Omit<SyncData, "modelId" | "destinationId">;
}
export interface ConfigPlan {
  sources: ConnectionStep[];
  destinations: ConnectionStep[];
  models: ModelStep[];
  syncs: SyncStep[];
}

export async function planConfig(ctx: WorkspaceContext, input: SluiceConfigInput | SluiceConfigFile): Promise<ConfigPlan> {
  const parsed = SluiceConfigFileSchema.safeParse(input);
  if (!parsed.success) throw new ConfigInvalidError(configIssuesFromZod(parsed.error));
  const file = parsed.data;
  const where = { workspaceId: ctx.workspaceId };
  const [sources, destinations, models, syncs] = await Promise.all([
    ctx.db.source.findMany({ where }),
    ctx.db.destination.findMany({ where }),
    ctx.db.model.findMany({ where, include: { source: { select: { name: true } } } }),
    ctx.db.sync.findMany({ where, include: SYNC_VIEW_INCLUDE }),
  ]);
  const issues: ConfigIssue[] = [];
  const plan: ConfigPlan = {
    sources: file.sources.map((e, i) =>
      planConnection(ctx, "source", e, ["sources", i], byName(sources).get(e.name), getWarehouse, listWarehouses, issues),
    ),
    destinations: file.destinations.map((e, i) =>
      planConnection(
        ctx,
        "destination",
        e,
        ["destinations", i],
        byName(destinations).get(e.name),
        getDestination,
        listDestinations,
        issues,
      ),
    ),
    models: [],
    syncs: [],
  };
  const known = (kind: string, inFile: { name: string }[], stored: { name: string }[], name: string, path: ConfigPath) => {
    if (inFile.some((x) => x.name === name) || stored.some((x) => x.name === name)) return;
    issues.push({ path, message: `no ${kind} named "${name}" in this file or in workspace "${ctx.workspaceSlug}"` });
  };
  const storedModels = byName(models);
  plan.models = file.models.map((e, i): ModelStep => {
    known("source", file.sources, sources, e.source, ["models", i, "source"]);
    const existing = storedModels.get(e.name);
    const data = { name: e.name, query: e.query, primaryKey: e.primaryKey };
    const changes = existing
      ? [
          ...(existing.source.name !== e.source ? ["source"] : []),
          ...(existing.query !== e.query ? ["query"] : []),
          ...(sameJson(existing.primaryKey, e.primaryKey) ? [] : ["primaryKey"]),
        ]
      : [];
    return { kind: "model", name: e.name, sourceName: e.source, data, existing, changes, action: actionFor(existing, changes) };
  });
  const storedSyncs = byName(syncs);
  plan.syncs = file.syncs.map((e, i): SyncStep => {
    known("model", file.models, models, e.model, ["syncs", i, "model"]);
    known("destination", file.destinations, destinations, e.destination, ["syncs", i, "destination"]);
    const existing = storedSyncs.get(e.name);
    const data = {
      name: e.name,
      object: e.object ?? null,
      mode: e.mode,
      mappings: e.mappings,
      schedule: e.schedule,
      enabled: e.enabled,
    };
    const changes: string[] = [];
    if (existing) {
      const view = toSyncView(existing);
      if (view.modelName !== e.model) changes.push("model");
      if (view.destinationName !== e.destination) changes.push("destination");
      for (const key of ["object", "mode", "mappings", "schedule", "enabled"] as const) {
        if (!sameJson(view[key], data[key])) changes.push(key);
      }
    }
    const step = { kind: "sync" as const, name: e.name, modelName: e.model, destinationName: e.destination, data, existing };
    return { ...step, changes, action: actionFor(existing, changes) };
  });
  if (issues.length > 0) throw new ConfigInvalidError(issues);
  return plan;
}

function planConnection(
  ctx: WorkspaceContext,
  kind: "source" | "destination",
  entry: { name: string; type: string; config: Record<string, unknown> },
  path: ConfigPath,
  existing: Source | Destination | undefined,
  lookup: (slug: string) => ConnectorSpec<unknown> | undefined,
  all: () => ConnectorSpec<unknown>[],
  issues: ConfigIssue[],
): ConnectionStep {
  const step = {
    kind,
    name: entry.name,
    type: entry.type,
    existing,
    plain: {},
    sealed: { encryptedSecrets: null, encryptionKeyId: null },
  };
  const connector = lookup(entry.type);
  if (!connector) {
    const slugs = all()
      .map((c) => c.slug)
      .join(", ");
    issues.push({ path: [...path, "type"], message: `unknown ${kind} type "${entry.type}"; choose one of: ${slugs}` });
    return { ...step, action: "unchanged", changes: [] };
  }
  if (existing && existing.type !== entry.type) {
    issues.push({
      path: [...path, "type"],
      message: `${kind} "${entry.name}" already exists with type "${existing.type}"; a type cannot change (use a new name)`,
    });
    return { ...step, action: "unchanged", changes: [] };
  }
  // Secrets left out of the file keep their stored values, as in the UI.
  const stored = existing ? openStored(existing, ctx.keyring) : {};
  const result = connector.configSchema.safeParse(mergeSecrets(entry.config, stored, connector.secretFields));
  if (!result.success) {
    issues.push(...configIssuesFromZod(result.error, [...path, "config"]));
    return { ...step, action: "unchanged", changes: [] };
  }
  const full = result.data as Config;
  const changes = existing && !sameJson({ ...(existing.config as Config), ...stored }, full) ? ["config"] : [];
  const action = actionFor(existing, changes);
  if (action === "unchanged") return { ...step, action, changes };
  const { plain, secrets } = splitSecrets(full, connector.secretFields);
  return { ...step, plain, sealed: sealIfAny(secrets, ctx.keyring), action, changes };
}

function actionFor(existing: unknown, changes: string[]): PlanAction {
  if (!existing) return "create";
  return changes.length > 0 ? "update" : "unchanged";
}

function byName<T extends { name: string }>(rows: T[]): Map<string, T> {
  return new Map(rows.map((r) => [r.name, r]));
}
