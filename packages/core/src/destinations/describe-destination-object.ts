// The mapper's right-hand side: the fields of the object a sync writes — the contract's fields merged with
// the account's own (`listFields`: custom properties, describe results) — and its modes, described. When
// the account cannot be asked (bad token, API down), the contract's fields still come back, with a warning.
// Also the mapper's server-side helpers: suggest, check and preview a mapping against a model.

import { type DestinationField, findObject } from "@sluice/connectors/kit/contract";
import type { DestinationConnector } from "@sluice/connectors/kit/spec";
import type { ColumnInfo } from "@sluice/connectors/kit/warehouse";
import { getDestination } from "@sluice/connectors/registry";
import {
  CheckMappingsInput,
  checkMappings,
  type MapperField,
  MapperObjectInput,
  type MappingIssue,
  type MappingSuggestion,
  modelRefOf,
  type PayloadPreview,
  PreviewMappingInput,
  previewPayloads,
  SuggestMappingsInput,
  suggestMappings,
} from "@sluice/contracts/mapper";
import type { SyncMode } from "@sluice/contracts/sync-config";
import { authorize, type WorkspaceContext } from "../context";
import { AppError } from "../errors";
import { describeModelColumns, type JsonRow, jsonRow, sampleModelRows } from "../models/preview-model";
import { errorMessage } from "../runs/run-errors";
import { describeModes, type ModeDescription } from "../syncs/describe-mode";
import { parseInput } from "../validate-input";
import { destinationNotFound } from "./destination-view";
import { loadDestinationWithSecrets } from "./load-destination-with-secrets";

/** How long the account may take to list its fields before the mapper shows the contract's alone. */
export const LIST_FIELDS_TIMEOUT_MS = 20_000;

export type ObjectField = MapperField & {
  /** Known only from the account (a custom property), not from the destination's contract. */
  custom: boolean;
};

export interface DestinationObjectView {
  destinationId: string;
  destinationName: string;
  destinationType: string;
  object: { name: string; label: string; description: string | null };
  /** Every object the destination writes, for the object picker. */
  objects: { name: string; label: string }[];
  modes: ModeDescription[];
  fields: ObjectField[];
  /** The object takes any field (a webhook): map columns to whatever names the receiver expects. */
  freeForm: boolean;
  /** The account's own fields were read (the destination can list them and answered). */
  accountFields: boolean;
  warnings: string[];
}

interface LoadedObject {
  row: { id: string; name: string; type: string };
  connector: DestinationConnector<unknown>;
  object: { name: string; label: string; description?: string; modes: readonly SyncMode[]; fields: readonly DestinationField[] };
}

/** The destination (this workspace's) and the object named, or its only object; BAD_REQUEST names the choices. */
export async function loadDestinationObject(
  ctx: WorkspaceContext,
  destinationId: string,
  object?: string | null,
): Promise<LoadedObject> {
  const row = await ctx.db.destination.findFirst({
    where: { id: destinationId, workspaceId: ctx.workspaceId },
    select: { id: true, name: true, type: true },
  });
  if (!row) throw destinationNotFound();
  const connector = getDestination(row.type);
  if (!connector) throw new AppError("BAD_REQUEST", `Sluice cannot write to destinations of type "${row.type}".`);
  const found = findObject(connector.contract, object);
  if (!found) {
    const names = connector.contract.objects.map((o) => o.name).join(", ");
    const why =
      object == null
        ? `${connector.name} writes several objects: choose one of ${names}`
        : `"${object}" is not an object of ${connector.name}; choose one of ${names}`;
    throw new AppError("BAD_REQUEST", `${why}.`, { object: [why] });
  }
  return { row, connector, object: found };
}

export async function describeDestinationObject(ctx: WorkspaceContext, input: MapperObjectInput): Promise<DestinationObjectView> {
  authorize(ctx, "sync.read");
  const { destinationId, object: objectName } = parseInput(MapperObjectInput, input);
  const { row, connector, object } = await loadDestinationObject(ctx, destinationId, objectName);
  const warnings: string[] = [];
  let account: DestinationField[] | undefined;
  if (connector.listFields) {
    try {
      account = await listAccountFields(ctx, row.id, connector, object.name);
    } catch (error) {
      ctx.log.warn(
        { workspaceId: ctx.workspaceId, destinationId: row.id, object: object.name, err: errorMessage(error) },
        "listFields failed",
      );
      warnings.push(
        `Could not read the ${object.label.toLowerCase()} fields of "${row.name}" from ${connector.name} (${errorMessage(error)}); showing the standard fields only.`,
      );
    }
  }
  return {
    destinationId: row.id,
    destinationName: row.name,
    destinationType: row.type,
    object: { name: object.name, label: object.label, description: object.description ?? null },
    objects: connector.contract.objects.map((o) => ({ name: o.name, label: o.label })),
    modes: describeModes(object.modes, object.label),
    fields: mergeFields(object.fields, account),
    freeForm: object.fields.length === 0 && !connector.listFields,
    accountFields: account !== undefined,
    warnings,
  };
}

async function listAccountFields(
  ctx: WorkspaceContext,
  destinationId: string,
  connector: DestinationConnector<unknown>,
  object: string,
): Promise<DestinationField[]> {
  const listFields = connector.listFields?.bind(connector);
  if (!listFields) return [];
  const stored = await loadDestinationWithSecrets(ctx, destinationId);
  const config = connector.configSchema.safeParse(stored.config);
  if (!config.success) throw new Error("its saved settings are no longer valid; edit the destination");
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${LIST_FIELDS_TIMEOUT_MS / 1000} s`)), LIST_FIELDS_TIMEOUT_MS);
  });
  try {
    return await Promise.race([
      listFields(config.data, object, { allowPrivate: ctx.allowPrivateDestinations ?? false }),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Contract fields first (in contract order), then the account's others. The account knows labels, types and
 * options best; the contract knows what is required. When the account marks identifiers (the configured match
 * key), it decides which fields identify a record; otherwise the contract does.
 */
export function mergeFields(
  contract: readonly DestinationField[],
  account: readonly DestinationField[] | undefined,
): ObjectField[] {
  const fromAccount = new Map((account ?? []).map((f) => [f.name, f]));
  const accountDecidesIdentifiers = (account ?? []).some((f) => f.identifier);
  const clean = (f: DestinationField, custom: boolean): ObjectField => {
    const out: ObjectField = { name: f.name, type: f.type, custom };
    if (f.label !== undefined) out.label = f.label;
    if (f.required) out.required = true;
    if (f.identifier) out.identifier = true;
    if (f.description !== undefined) out.description = f.description;
    if (f.options !== undefined) out.options = [...f.options];
    return out;
  };
  const merged = contract.map((c) => {
    const a = fromAccount.get(c.name);
    const field = clean(a ? { ...c, ...a, required: c.required || a.required } : c, false);
    if (accountDecidesIdentifiers) {
      if (a?.identifier) field.identifier = true;
      else delete field.identifier;
    }
    return field;
  });
  const known = new Set(contract.map((c) => c.name));
  for (const a of account ?? []) if (!known.has(a.name)) merged.push(clean(a, true));
  return merged;
}

export interface MappingSuggestions {
  suggestions: MappingSuggestion[];
  columns: ColumnInfo[];
  warnings: string[];
}

/** Column → field suggestions for the object, from the model's columns (described by the warehouse unless given). */
export async function suggestObjectMappings(ctx: WorkspaceContext, input: SuggestMappingsInput): Promise<MappingSuggestions> {
  authorize(ctx, "sync.read");
  const parsed = parseInput(SuggestMappingsInput, input);
  const target = await describeDestinationObject(ctx, { destinationId: parsed.destinationId, object: parsed.object });
  const columns = await describeModelColumns(ctx, modelRefOrFail(parsed));
  const suggestions = suggestMappings(columns, target.fields, parsed.mappings, { freeForm: target.freeForm });
  return { suggestions, columns, warnings: target.warnings };
}

export interface MappingCheck {
  /** No errors (warnings may remain): the mapping can be saved. */
  ok: boolean;
  issues: MappingIssue[];
  columns: ColumnInfo[];
  warnings: string[];
}

export async function checkObjectMappings(ctx: WorkspaceContext, input: CheckMappingsInput): Promise<MappingCheck> {
  authorize(ctx, "sync.read");
  const parsed = parseInput(CheckMappingsInput, input);
  const target = await describeDestinationObject(ctx, { destinationId: parsed.destinationId, object: parsed.object });
  const columns = await describeModelColumns(ctx, modelRefOrFail(parsed));
  const issues = checkMappings(parsed.mappings, columns, target.fields, {
    mode: parsed.mode,
    modes: target.modes.map((m) => m.mode),
    freeForm: target.freeForm,
    objectLabel: target.object.label,
  });
  return { ok: !issues.some((i) => i.severity === "error"), issues, columns, warnings: target.warnings };
}

export interface MappingPreview {
  columns: ColumnInfo[];
  /** The model's first rows (plain JSON) and, for each, the payload the mapping makes of it or why it would be rejected. */
  samples: { key: JsonRow | null; row: JsonRow; payload: { ok: true; data: JsonRow } | { ok: false; reason: string } }[];
  elapsedMs: number;
}

/** The first rows of the model and what the mapping makes of each, cast exactly as a run would. */
export async function previewObjectMapping(ctx: WorkspaceContext, input: PreviewMappingInput): Promise<MappingPreview> {
  authorize(ctx, "sync.read");
  const parsed = parseInput(PreviewMappingInput, input);
  await loadDestinationObject(ctx, parsed.destinationId, parsed.object);
  const ref =
    parsed.modelId !== undefined ? { modelId: parsed.modelId } : { sourceId: parsed.sourceId ?? "", query: parsed.query ?? "" };
  const sample = await sampleModelRows(ctx, ref, parsed.limit);
  const payloads: PayloadPreview[] = previewPayloads(sample.rows, parsed.mappings);
  return {
    columns: sample.columns,
    samples: sample.rows.map((row, i) => {
      const p = payloads[i] as PayloadPreview;
      const key = sample.primaryKey ? jsonRow(Object.fromEntries(sample.primaryKey.map((k) => [k, row[k]]))) : null;
      return { key, row: jsonRow(row), payload: p.ok ? { ok: true as const, data: jsonRow(p.data) } : p };
    }),
    elapsedMs: sample.elapsedMs,
  };
}

function modelRefOrFail(o: Parameters<typeof modelRefOf>[0]) {
  const ref = modelRefOf(o);
  // The input schemas refuse this already; kept so a caller skipping them gets a field error, not a crash.
  if (!ref)
    throw new AppError("BAD_REQUEST", "Give a modelId, or a sourceId and a query, or the columns.", { modelId: ["required"] });
  return ref;
}
