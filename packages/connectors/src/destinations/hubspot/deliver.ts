// Delivery of one batch to HubSpot CRM v3, on the shared HTTP kit. By mode:
//   upsert  → POST /crm/v3/objects/{object}/batch/upsert, matched by the configured idProperty
//   insert  → POST …/batch/create (a record that already exists is rejected by HubSpot)
//   update  → POST …/batch/read by idProperty, then POST …/batch/update by HubSpot record id; a record
//             HubSpot does not have is rejected (update never creates)
//   mirror  → upserts as above; deletes → POST …/batch/read by idProperty, then POST …/batch/archive by
//             record id (archive takes record ids only); a record HubSpot does not have counts as deleted
// Every request carries at most 100 inputs, each with an objectWriteTraceId (its index) so a 207 names the
// inputs that failed. The kit paces requests, retries, waits out 429s and splits whole-batch rejections.
import { createHash } from "node:crypto";
import type { SyncMode } from "@sluice/contracts/sync-config";
import { type DestinationContract, findObject, type RecordVerdict, type ResponseVerdict } from "../../kit/contract";
import {
  type BatchOutcome,
  type DeliverOptions,
  type DeliveryBatch,
  type DeliveryRecord,
  type DestinationDriver,
  type Exchange,
  FatalDestinationError,
  type RecordResult,
} from "../../kit/delivery";
import type { HttpResponse } from "../../kit/http";
import { deliverHttpBatch, type HttpCall, type HttpDestination } from "../../kit/http-destination";
import { apiUrl, type HubSpotConfig, hubspotConfigSchema, idPropertyFor } from "./config";
import { HUBSPOT_BATCH_LIMIT, HUBSPOT_RATE_WINDOW_MS, hubspotContract } from "./contract";
import { identifierOf, toProperties } from "./records";
import {
  type BatchResponse,
  BatchResponseSchema,
  type CallContext,
  classifyShared,
  contextValues,
  describeError,
  type HubSpotError,
  parseError,
  parseJson,
} from "./responses";

/** Records read from the warehouse per deliver() call: five requests' worth, sent in parallel. */
export const HUBSPOT_PAGE_SIZE = 5 * HUBSPOT_BATCH_LIMIT;
const USER_AGENT = "Sluice-HubSpot/1";
const EXCHANGES_KEPT = 20;

type WriteKind = "upsert" | "create" | "update" | "archive";

export const hubspotDriver: DestinationDriver<HubSpotConfig> = {
  maxBatchRecords: () => HUBSPOT_PAGE_SIZE,
  deliver: deliverHubSpotBatch,
};

export async function deliverHubSpotBatch(
  rawConfig: HubSpotConfig,
  batch: DeliveryBatch,
  options: DeliverOptions,
): Promise<BatchOutcome> {
  const parsed = hubspotConfigSchema.safeParse(rawConfig);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new FatalDestinationError(`the HubSpot settings are invalid (${issue?.path.join(".") || "config"}: ${issue?.message})`);
  }
  const config = parsed.data;
  const object = findObject(hubspotContract, batch.object);
  if (!object) {
    throw new FatalDestinationError(`HubSpot has no object "${batch.object ?? ""}" here: choose contacts or companies`);
  }
  const started = performance.now();
  const mode: SyncMode = batch.mode ?? "upsert";
  const run: Run = { config, object: object.name, mode, idProperty: idPropertyFor(config, object.name) };
  const records = batch.records;
  const results: (RecordResult | undefined)[] = records.map((record) => {
    const problem = problemWith(record, run);
    return problem ? { status: "rejected", reason: problem } : undefined;
  });
  const phases: BatchOutcome[] = [];

  // 1. Records addressed by HubSpot record id (deletes; every record in update mode): look the ids up.
  const hubspotIds = new Map<DeliveryRecord, string>();
  const lookups = indexesWhere(results, (i) => needsRecordId(records[i] as DeliveryRecord, mode));
  if (lookups.length > 0) {
    const outcome = await deliverHttpBatch(lookupDefinition(run, hubspotIds), config, subBatch(batch, records, lookups), options);
    phases.push(outcome);
    lookups.forEach((index, k) => {
      const record = records[index] as DeliveryRecord;
      const result = outcome.results[k] ?? { status: "failed", reason: "no result for this record" };
      if (result.status !== "ok") results[index] = result;
      else if (!hubspotIds.has(record)) results[index] = notFound(record, run);
    });
  }

  // 2. The writes: upsert, create, update by record id, archive by record id.
  const writes = indexesWhere(results, () => true);
  if (writes.length > 0) {
    const outcome = await deliverHttpBatch(writeDefinition(run, hubspotIds), config, subBatch(batch, records, writes), options);
    phases.push(outcome);
    writes.forEach((index, k) => {
      results[index] = outcome.results[k] ?? { status: "failed", reason: "no result for this record" };
    });
  }

  return combine(
    results.map((r) => r ?? { status: "failed", reason: "the record was not delivered (no final answer)" }),
    phases,
    started,
  );
}

interface Run {
  config: HubSpotConfig;
  object: string;
  mode: SyncMode;
  idProperty: string;
}

const singular = (object: string) => (object === "companies" ? "company" : "contact");

function writeKind(record: DeliveryRecord, mode: SyncMode): WriteKind {
  if (record.op === "delete") return "archive";
  if (mode === "insert") return "create";
  if (mode === "update") return "update";
  return "upsert";
}

function needsRecordId(record: DeliveryRecord, mode: SyncMode): boolean {
  const kind = writeKind(record, mode);
  return kind === "archive" || kind === "update";
}

/** Why a record cannot be sent at all (checked before any request). */
function problemWith(record: DeliveryRecord, run: Run): string | undefined {
  const kind = writeKind(record, run.mode);
  if (kind !== "create" && identifierOf(record, run.idProperty) === undefined) {
    return kind === "archive"
      ? `cannot archive the ${singular(run.object)}: the removed row carries no "${run.idProperty}" value to find it by in HubSpot`
      : `the record has no "${run.idProperty}" value; HubSpot matches ${run.object} on it — map a column to ${run.idProperty}`;
  }
  if (kind === "archive") return undefined;
  const converted = toProperties(record.data);
  return "problem" in converted ? converted.problem : undefined;
}

function notFound(record: DeliveryRecord, run: Run): RecordResult {
  // Archiving something HubSpot does not have is already done.
  if (record.op === "delete") return { status: "ok" };
  return {
    status: "rejected",
    reason: `no ${singular(run.object)} with ${run.idProperty} "${identifierOf(record, run.idProperty)}" exists in HubSpot; mode "update" only changes existing records`,
  };
}

/** The part of the kit's definition both phases share: the account and its configured burst limit. */
function baseDefinition(run: Run): Pick<HttpDestination<HubSpotConfig>, "slug" | "contract" | "accountKey"> {
  return { slug: "hubspot", contract: contractFor(run.config), accountKey: accountKeyOf };
}

/** The contract with the account's own limit (requestsPer10Seconds) as the rate the kit paces requests to. */
export function contractFor(config: HubSpotConfig): DestinationContract {
  const documented = hubspotContract.rateLimit ?? { requests: config.requestsPer10Seconds, perMs: HUBSPOT_RATE_WINDOW_MS };
  return { ...hubspotContract, rateLimit: { ...documented, requests: config.requestsPer10Seconds } };
}

/** A hash prefix of the token: every sync using one private app shares that app's budget; the token is never stored. */
export function accountKeyOf(config: HubSpotConfig): string {
  return createHash("sha256").update(config.accessToken).digest("hex").slice(0, 16);
}

function post(config: HubSpotConfig, path: string, body: unknown): HttpCall {
  return {
    method: "POST",
    url: apiUrl(config, path),
    headers: {
      authorization: `Bearer ${config.accessToken}`,
      "content-type": "application/json",
      accept: "application/json",
      "user-agent": USER_AGENT,
    },
    body: JSON.stringify(body),
    secretHeaders: ["authorization"],
  };
}

// ---------------------------------------------------------------------------------------------------
// Phase 1: batch read by idProperty → HubSpot record ids.

function lookupDefinition(run: Run, found: Map<DeliveryRecord, string>): HttpDestination<HubSpotConfig> {
  const path = `/crm/v3/objects/${run.object}/batch/read`;
  return {
    ...baseDefinition(run),
    group: () => "read",
    buildRequest: (records) => {
      const ids = unique(records.map((r) => identifierOf(r, run.idProperty) as string));
      return post(run.config, path, {
        idProperty: run.idProperty,
        inputs: ids.map((id) => ({ id })),
        properties: [run.idProperty],
        propertiesWithHistory: [],
      });
    },
    classify: (response, records) => {
      const call: CallContext = { object: run.object, method: "POST", url: apiUrl(run.config, path) };
      const shared = classifyShared(response, call);
      if (shared) return { kind: "request", verdict: shared };
      if (response.status >= 200 && response.status < 300) return lookupResults(response, records, run, found);
      const error = parseError(response.body);
      if (response.status === 400) {
        // Looking records up by a valid value cannot fail; a 400 means the idProperty itself is refused.
        throw new FatalDestinationError(
          `HubSpot refused to look ${run.object} up by "${run.idProperty}" (HTTP 400: ${describeError(error, response.body)}). Set ${run.object}IdProperty to a property with unique values${run.object === "contacts" ? " (email, or a custom unique property)" : " (a custom property with unique values)"}`,
        );
      }
      return {
        kind: "request",
        verdict: {
          status: "rejected",
          reason: `HubSpot refused the lookup (HTTP ${response.status}): ${describeError(error, response.body)}`,
        },
      };
    },
  };
}

function lookupResults(
  response: HttpResponse,
  records: DeliveryRecord[],
  run: Run,
  found: Map<DeliveryRecord, string>,
): ResponseVerdict {
  const body = parseBatch(response);
  if (!body) return retryAll(`HubSpot's lookup answer (HTTP ${response.status}) could not be read`);
  const byValue = new Map<string, string>();
  for (const result of body.results ?? []) {
    const value = result.properties?.[run.idProperty];
    if (result.id && value) {
      byValue.set(value, result.id);
      byValue.set(value.toLowerCase(), result.id);
    }
  }
  // Errors other than "not found" that name an input reject it; ones that name nothing leave the
  // records not found undecided (retried), since "absent" cannot be concluded from them.
  const refused = new Map<string, string>();
  let unexplained: string | undefined;
  for (const error of body.errors ?? []) {
    if (error.category === "OBJECT_NOT_FOUND") continue;
    const ids = contextValues(error, "ids");
    if (ids.length === 0) unexplained = describeError(error, "");
    for (const id of ids) refused.set(id, describeError(error, ""));
  }
  return {
    kind: "records",
    results: records.map((record): RecordVerdict => {
      const value = identifierOf(record, run.idProperty) as string;
      const id = byValue.get(value) ?? byValue.get(value.toLowerCase());
      if (id) {
        found.set(record, id);
        return { status: "ok" };
      }
      const reason = refused.get(value);
      if (reason) return { status: "rejected", reason: `HubSpot could not look the record up: ${reason}` };
      if (unexplained) return { status: "retryable", reason: `HubSpot's lookup reported an error: ${unexplained}` };
      return { status: "ok" };
    }),
  };
}

// ---------------------------------------------------------------------------------------------------
// Phase 2: the writes.

function writeDefinition(run: Run, hubspotIds: Map<DeliveryRecord, string>): HttpDestination<HubSpotConfig> {
  // Two records with the same identifier never share a request (HubSpot refuses duplicate inputs in a
  // batch): the second goes to a second group, and so on.
  const seen = new Map<string, number>();
  const keyOf = (record: DeliveryRecord): string | undefined =>
    needsRecordId(record, run.mode) ? hubspotIds.get(record) : identifierOf(record, run.idProperty);
  return {
    ...baseDefinition(run),
    group: (record) => {
      const kind = writeKind(record, run.mode);
      const key = keyOf(record);
      if (key === undefined) return kind;
      const n = (seen.get(`${kind}:${key}`) ?? 0) + 1;
      seen.set(`${kind}:${key}`, n);
      return n === 1 ? kind : `${kind}#${n}`;
    },
    buildRequest: (records, group) => {
      const kind = group.split("#")[0] as WriteKind;
      const path = `/crm/v3/objects/${run.object}/batch/${kind}`;
      const properties = (record: DeliveryRecord) => {
        const converted = toProperties(record.data);
        return "properties" in converted ? converted.properties : {};
      };
      const inputs = records.map((record, k) => {
        const objectWriteTraceId = String(k);
        switch (kind) {
          case "upsert":
            return {
              idProperty: run.idProperty,
              id: identifierOf(record, run.idProperty),
              properties: properties(record),
              objectWriteTraceId,
            };
          case "create":
            return { properties: properties(record), objectWriteTraceId };
          case "update":
            return { id: hubspotIds.get(record), properties: properties(record), objectWriteTraceId };
          default:
            return { id: hubspotIds.get(record) }; // archive
        }
      });
      return post(run.config, path, { inputs });
    },
    classify: (response, records, group) => {
      const kind = group.split("#")[0] as WriteKind;
      const url = apiUrl(run.config, `/crm/v3/objects/${run.object}/batch/${kind}`);
      const shared = classifyShared(response, { object: run.object, method: "POST", url });
      if (shared) return { kind: "request", verdict: shared };
      if (response.status >= 200 && response.status < 300) return writeResults(response, records, kind, run, hubspotIds);
      return wholeBatchError(response, records, kind, run, hubspotIds);
    },
  };
}

/** 200/201/204: every input written; 207: the errors name their inputs, the rest were written. */
function writeResults(
  response: HttpResponse,
  records: DeliveryRecord[],
  kind: WriteKind,
  run: Run,
  hubspotIds: Map<DeliveryRecord, string>,
): ResponseVerdict {
  const ok = (): ResponseVerdict => ({ kind: "records", results: records.map(() => ({ status: "ok" })) });
  if (response.status === 204 || response.body.trim() === "") return ok();
  const body = parseBatch(response);
  if (!body) {
    // A success status with a body we cannot read: HubSpot said it worked, except that a 207 says some did not.
    return response.status === 207 ? retryAll("HubSpot answered 207 with a body that could not be read") : ok();
  }
  const errors = body.errors ?? [];
  if (errors.length === 0) return ok();
  const { reasons, unattributed } = attribute(errors, records, kind, run, hubspotIds);
  const succeeded = succeededInputs(body, records, kind, run, hubspotIds);
  return {
    kind: "records",
    results: records.map((_, k): RecordVerdict => {
      const reason = reasons.get(k);
      if (reason) return { status: "rejected", reason: `HubSpot rejected the record: ${reason}` };
      if (unattributed.length > 0 && succeeded !== undefined && !succeeded.has(k)) {
        return { status: "retryable", reason: `HubSpot reported an error it did not tie to a record: ${unattributed[0]}` };
      }
      return { status: "ok" };
    }),
  };
}

/** 4xx for the whole batch: reject the inputs it names (and re-send the rest), else let the kit split it. */
function wholeBatchError(
  response: HttpResponse,
  records: DeliveryRecord[],
  kind: WriteKind,
  run: Run,
  hubspotIds: Map<DeliveryRecord, string>,
): ResponseVerdict {
  const error = parseError(response.body);
  const message = describeError(error, response.body);
  if (error?.message && /non-unique/i.test(error.message)) {
    throw new FatalDestinationError(
      `HubSpot refused "${run.idProperty}" as the property that identifies ${run.object} (HTTP ${response.status}: ${message}). It only matches records on a property with unique values: set ${run.object}IdProperty to ${run.object === "contacts" ? "email or " : ""}a custom property created with "unique values" on`,
    );
  }
  if (error) {
    const { reasons } = attribute([error], records, kind, run, hubspotIds);
    if (reasons.size > 0 && reasons.size < records.length) {
      return {
        kind: "records",
        results: records.map((_, k): RecordVerdict => {
          const reason = reasons.get(k);
          return reason
            ? { status: "rejected", reason: `HubSpot rejected the record (HTTP ${response.status}): ${reason}` }
            : {
                status: "retryable",
                reason: `HubSpot refused the whole batch because of another record (HTTP ${response.status})`,
              };
        }),
      };
    }
  }
  return {
    kind: "request",
    verdict: { status: "rejected", reason: `HubSpot rejected the record (HTTP ${response.status}): ${message}` },
  };
}

/**
 * Errors → the inputs they name: by objectWriteTraceId (the input's index, documented for multi-status
 * answers), else by the ids in the error's context or its `id` (the idProperty value or record id sent).
 */
function attribute(
  errors: HubSpotError[],
  records: DeliveryRecord[],
  kind: WriteKind,
  run: Run,
  hubspotIds: Map<DeliveryRecord, string>,
): { reasons: Map<number, string>; unattributed: string[] } {
  const reasons = new Map<number, string>();
  const unattributed: string[] = [];
  const sentIds = records.map((record) => sentIdentifiers(record, kind, run, hubspotIds));
  for (const error of errors) {
    const text = describeError(error, "");
    let named = false;
    for (const trace of contextValues(error, "objectWriteTraceId")) {
      const k = /^\d+$/.test(trace) ? Number(trace) : -1;
      if (k >= 0 && k < records.length) {
        reasons.set(k, text);
        named = true;
      }
    }
    if (!named) {
      const ids = new Set([...contextValues(error, "ids"), ...contextValues(error, "id"), ...(error.id ? [error.id] : [])]);
      sentIds.forEach((candidates, k) => {
        if (candidates.some((c) => ids.has(c))) {
          reasons.set(k, text);
          named = true;
        }
      });
    }
    if (!named) unattributed.push(text);
  }
  return { reasons, unattributed };
}

function sentIdentifiers(record: DeliveryRecord, kind: WriteKind, run: Run, hubspotIds: Map<DeliveryRecord, string>): string[] {
  const ids: string[] = [];
  const recordId = hubspotIds.get(record);
  if (recordId) ids.push(recordId);
  if (kind !== "archive") {
    const value = identifierOf(record, run.idProperty);
    if (value) ids.push(value);
  }
  return ids;
}

/** Inputs the answer's results show as written, when it says so (objectWriteTraceId, idProperty or record id). */
function succeededInputs(
  body: BatchResponse,
  records: DeliveryRecord[],
  kind: WriteKind,
  run: Run,
  hubspotIds: Map<DeliveryRecord, string>,
): Set<number> | undefined {
  const results = body.results ?? [];
  const traces = new Set(results.map((r) => r.objectWriteTraceId).filter((t): t is string => t !== undefined));
  const ids = new Set(
    results.flatMap((r) => [r.id, r.properties?.[run.idProperty] ?? undefined]).filter((v): v is string => !!v),
  );
  if (traces.size === 0 && ids.size === 0) return undefined;
  const done = new Set<number>();
  records.forEach((record, k) => {
    if (traces.has(String(k)) || sentIdentifiers(record, kind, run, hubspotIds).some((id) => ids.has(id))) done.add(k);
  });
  return done;
}

// ---------------------------------------------------------------------------------------------------

function parseBatch(response: HttpResponse): BatchResponse | undefined {
  const parsed = BatchResponseSchema.safeParse(parseJson(response.body));
  return parsed.success ? parsed.data : undefined;
}

function retryAll(reason: string): ResponseVerdict {
  return { kind: "request", verdict: { status: "retryable", reason } };
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

function indexesWhere(results: (RecordResult | undefined)[], predicate: (i: number) => boolean): number[] {
  const out: number[] = [];
  results.forEach((r, i) => {
    if (r === undefined && predicate(i)) out.push(i);
  });
  return out;
}

function subBatch(batch: DeliveryBatch, records: DeliveryRecord[], indexes: number[]): DeliveryBatch {
  return { ...batch, records: indexes.map((i) => records[i] as DeliveryRecord) };
}

/** One outcome for the engine from the phases' outcomes. */
function combine(results: RecordResult[], phases: BatchOutcome[], started: number): BatchOutcome {
  const exchanges: Exchange[] = phases.flatMap((p) => p.exchanges ?? []).slice(-EXCHANGES_KEPT);
  const last = phases[phases.length - 1];
  return {
    results,
    attempts: phases.reduce((n, p) => n + p.attempts, 0),
    latencyMs: Math.round(performance.now() - started),
    throttledMs: phases.reduce((n, p) => n + (p.throttledMs ?? 0), 0),
    request: last?.request ?? { method: "POST", url: "", headers: {}, body: "" },
    ...(last?.response ? { response: last.response } : {}),
    exchanges,
  };
}
