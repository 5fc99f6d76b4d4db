// sObject Collections through the kit's request runner: one definition for every per-record request the
// destination makes (up to 200 records each, allOrNone=false so one bad record never rolls back the rest):
//   upsert  PATCH  composite/sobjects/{SObject}/{ExternalIdField}   → UpsertResult[] {id, success, errors, created}
//   create  POST   composite/sobjects                               → SaveResult[]
//   update  PATCH  composite/sobjects (records carry their Id)      → SaveResult[]
//   delete  DELETE composite/sobjects?ids=…                         → DeleteResult[]
//   lookup  GET    query?q=SELECT Id, {field} FROM {SObject} WHERE {field} IN (…)  (Ids for updates and deletes)
// Each result's errors [{statusCode, message, fields}] become the record's rejection reason. Whole-request
// errors: 401 marks the records for the driver's one re-authentication, REQUEST_LIMIT_EXCEEDED is rate
// limiting, 5xx is retried, settings/mapping errors are fatal, other 400s are split to isolate the record.
import { createHash } from "node:crypto";
import { z } from "zod";
import type { RecordVerdict, ResponseVerdict } from "../../kit/contract";
import { type DeliveryRecord, FatalDestinationError } from "../../kit/delivery";
import type { HttpResponse } from "../../kit/http";
import { bodyExcerpt, type HttpCall, type HttpDestination, headerValue } from "../../kit/http-destination";
import type { RetryPolicy } from "../../kit/retry";
import type { SalesforceSession } from "./auth";
import type { SalesforceConfig } from "./config";
import { COLLECTION_MAX_RECORDS, salesforceContract } from "./contract";
import { configProblem, dataUrl, describeErrors, isRequestLimit, limitWaitMs, parseErrors } from "./rest";

export type CollectionAction = "upsert" | "create" | "update" | "delete" | "lookup";

/** Values per lookup query: keeps the query URL well under the REST API's 16,384-byte URI limit. */
export const LOOKUP_MAX_RECORDS = 100;

/** What one deliver() call shares with the requests it makes. */
export interface SalesforceRun {
  config: SalesforceConfig;
  sobject: string;
  externalIdField: string;
  session: SalesforceSession;
  retry: RetryPolicy;
  /** How each record of the current pass is sent. */
  actions: Map<DeliveryRecord, CollectionAction>;
  /** Record Ids found by lookups. */
  ids: Map<DeliveryRecord, string[]>;
  /** Records whose request was answered 401: the driver renews the session and sends them again. */
  expired: Set<DeliveryRecord>;
  /** REQUEST_LIMIT_EXCEEDED answers so far (each wait is longer). */
  limitHits: number;
}

const ResultError = z.object({
  statusCode: z.string().catch("UNKNOWN_ERROR"),
  message: z.string().catch(""),
  fields: z.array(z.string()).optional().catch(undefined),
});
const CollectionResult = z.object({
  id: z.string().nullish(),
  success: z.boolean(),
  errors: z.array(ResultError).catch([]),
  created: z.boolean().optional(),
});
const QueryResult = z.object({
  totalSize: z.number().optional(),
  done: z.boolean().catch(true),
  records: z.array(z.record(z.string(), z.unknown())),
});

/** Per-record codes worth another try: the row was locked by a concurrent transaction, and the like. */
const TRANSIENT_RECORD_ERRORS = new Set(["UNABLE_TO_LOCK_ROW", "ALL_OR_NONE_OPERATION_ROLLED_BACK", "REQUEST_RUNNING_TOO_LONG"]);
/** Delete answers that mean the record is already gone: the mirror is in the state it wants. */
const ALREADY_DELETED = new Set(["ENTITY_IS_DELETED", "INVALID_CROSS_REFERENCE_KEY"]);

/** The external ID value of a record, or undefined when it has none. */
export function externalIdOf(record: DeliveryRecord, field: string): string | number | undefined {
  const value = record.data?.[field];
  if (typeof value === "string") return value.trim() === "" ? undefined : value;
  if (typeof value === "number" && Number.isFinite(value)) return value;
  if (typeof value === "bigint") return Number(value);
  return undefined;
}

/** How Salesforce compares external IDs: text ones case-insensitively (the usual "Unique" setting). */
export function matchKey(value: unknown): string {
  if (typeof value === "string") return value.trim().toLowerCase();
  if (typeof value === "number" || typeof value === "bigint") return String(Number(value));
  return JSON.stringify(value) ?? "";
}

/** A SOQL literal: strings quoted with SOQL's escapes, numbers bare. */
export function soqlLiteral(value: string | number): string {
  if (typeof value === "number") return String(value);
  const escaped = value.replace(/[\\'"\n\r\t\b\f]/g, (c) => {
    const map: Record<string, string> = {
      "\\": "\\\\",
      "'": "\\'",
      '"': '\\"',
      "\n": "\\n",
      "\r": "\\r",
      "\t": "\\t",
      "\b": "\\b",
      "\f": "\\f",
    };
    return map[c] ?? c;
  });
  return `'${escaped}'`;
}

export function lookupQuery(run: SalesforceRun, values: (string | number)[]): string {
  const unique = [...new Map(values.map((v) => [typeof v === "number" ? `n${v}` : `s${v}`, v])).values()];
  const field = run.externalIdField;
  return `SELECT Id, ${field} FROM ${run.sobject} WHERE ${field} IN (${unique.map(soqlLiteral).join(", ")})`;
}

/** The account whose request allocation a config draws from (never a secret: a hash of who signs in where). */
export function salesforceAccountKey(config: SalesforceConfig): string {
  return createHash("sha256")
    .update(`${new URL(config.loginUrl).origin}\n${config.username.toLowerCase()}`)
    .digest("hex")
    .slice(0, 16);
}

/** The kit definition of one deliver() call's collection requests. */
export function collectionsDestination(run: SalesforceRun): HttpDestination<SalesforceConfig, SalesforceRun> {
  return {
    slug: "salesforce",
    contract: salesforceContract,
    accountKey: salesforceAccountKey,
    authenticate: async () => run,
    group: (record) => run.actions.get(record) ?? "upsert",
    maxRecords: (group) => (group === "lookup" ? LOOKUP_MAX_RECORDS : COLLECTION_MAX_RECORDS),
    buildRequest: (records, group) => buildRequest(run, records, group as CollectionAction),
    classify: (response, records, group) => classify(run, response, records, group as CollectionAction),
  };
}

function buildRequest(run: SalesforceRun, records: DeliveryRecord[], action: CollectionAction): HttpCall {
  const token = run.session.current;
  const url = (path: string) => dataUrl(token, run.config, path);
  const headers = { authorization: `Bearer ${token.accessToken}`, accept: "application/json" };
  const json = { ...headers, "content-type": "application/json" };
  const type = { type: run.sobject };
  switch (action) {
    case "lookup": {
      const values = records.map((r) => externalIdOf(r, run.externalIdField)).filter((v) => v !== undefined);
      return { method: "GET", url: url(`query?q=${encodeURIComponent(lookupQuery(run, values))}`), headers };
    }
    case "delete": {
      const ids = records.map((r) => run.ids.get(r)?.[0] ?? "");
      return { method: "DELETE", url: url(`composite/sobjects?ids=${ids.join(",")}&allOrNone=false`), headers };
    }
    case "update":
      return {
        method: "PATCH",
        url: url("composite/sobjects"),
        headers: json,
        body: JSON.stringify({
          allOrNone: false,
          records: records.map((r) => ({ attributes: type, ...r.data, id: run.ids.get(r)?.[0] })),
        }),
      };
    case "create":
    case "upsert":
      return {
        method: action === "create" ? "POST" : "PATCH",
        url: url(
          action === "create"
            ? "composite/sobjects"
            : `composite/sobjects/${encodeURIComponent(run.sobject)}/${encodeURIComponent(run.externalIdField)}`,
        ),
        headers: json,
        body: JSON.stringify({ allOrNone: false, records: records.map((r) => ({ attributes: type, ...r.data })) }),
      };
  }
}

function classify(
  run: SalesforceRun,
  response: HttpResponse,
  records: DeliveryRecord[],
  action: CollectionAction,
): ResponseVerdict {
  const { status } = response;
  if (status === 401) {
    // The driver renews the session once and re-sends these; a renewed session refused again is fatal.
    if (run.session.hasRenewed) {
      throw new FatalDestinationError(
        `Salesforce refused a freshly issued session (${describeErrors(parseErrors(response.body) ?? [])}); check that ${run.config.username} is active, has API Enabled, and that the connected app allows API access`,
      );
    }
    for (const record of records) run.expired.add(record);
    return { kind: "request", verdict: { status: "rejected", reason: "the Salesforce session expired" }, split: false };
  }
  if (status === 200 || status === 201) {
    return action === "lookup" ? classifyLookup(run, response, records) : classifyResults(run, response, records, action);
  }
  const errors = parseErrors(response.body);
  if (isRequestLimit(errors) || status === 429) {
    const retryAfterMs = limitWaitMs(run.retry.baseMs, run.limitHits++, headerValue(response, "retry-after"));
    const reason = `Salesforce API request limit exceeded (${errors ? describeErrors(errors) : `HTTP ${status}`})`;
    return { kind: "request", verdict: { status: "rate_limited", reason, retryAfterMs } };
  }
  if (status >= 500 || status === 408) {
    const reason = `Salesforce server error (HTTP ${status}): ${errors ? describeErrors(errors) : bodyExcerpt(response.body)}`;
    const retryAfter = headerValue(response, "retry-after");
    return retryAfter
      ? {
          kind: "request",
          verdict: { status: "rate_limited", reason, retryAfterMs: limitWaitMs(run.retry.baseMs, 0, retryAfter) },
        }
      : { kind: "request", verdict: { status: "retryable", reason } };
  }
  if (status >= 300 && status < 400) {
    throw new FatalDestinationError(`Salesforce answered a redirect (HTTP ${status}) for ${run.sobject}; check loginUrl`);
  }
  const problem = configProblem(status, errors);
  if (problem) throw new FatalDestinationError(`Salesforce refused the ${action} of ${run.sobject} records: ${problem}`);
  if (status === 414) {
    return { kind: "request", verdict: { status: "rejected", reason: "the external ID is too long to look the record up" } };
  }
  // Other 400s (a value Salesforce could not read, say): split to isolate the record(s) at fault.
  const reason = `Salesforce rejected the request (HTTP ${status}): ${errors ? describeErrors(errors) : bodyExcerpt(response.body)}`;
  return { kind: "request", verdict: { status: "rejected", reason } };
}

function classifyResults(
  run: SalesforceRun,
  response: HttpResponse,
  records: DeliveryRecord[],
  action: CollectionAction,
): ResponseVerdict {
  const parsed = z.array(CollectionResult).safeParse(safeJson(response.body));
  if (!parsed.success || parsed.data.length !== records.length) {
    const reason = `Salesforce answered ${parsed.success ? parsed.data.length : "unreadable"} results for ${records.length} records`;
    // Re-sending a create could duplicate records; the other actions are safe to repeat.
    return action === "create"
      ? { kind: "request", verdict: { status: "rejected", reason: `${reason} (not re-sent)` }, split: false }
      : { kind: "request", verdict: { status: "retryable", reason } };
  }
  return { kind: "records", results: parsed.data.map((result) => verdictOf(run, result, action)) };
}

function verdictOf(run: SalesforceRun, result: z.infer<typeof CollectionResult>, action: CollectionAction): RecordVerdict {
  if (result.success) return { status: "ok" };
  const codes = result.errors.map((e) => e.statusCode);
  if (action === "delete" && codes.some((c) => ALREADY_DELETED.has(c))) return { status: "ok" };
  const reason = result.errors.length
    ? describeErrors(result.errors)
    : `Salesforce did not ${action} the ${run.sobject} record and gave no reason`;
  return codes.some((c) => TRANSIENT_RECORD_ERRORS.has(c)) ? { status: "retryable", reason } : { status: "rejected", reason };
}

function classifyLookup(run: SalesforceRun, response: HttpResponse, records: DeliveryRecord[]): ResponseVerdict {
  const parsed = QueryResult.safeParse(safeJson(response.body));
  if (!parsed.success) {
    return { kind: "request", verdict: { status: "retryable", reason: "Salesforce's query answer was unreadable" } };
  }
  const found = new Map<string, string[]>();
  for (const row of parsed.data.records) {
    const id = row.Id;
    if (typeof id !== "string") continue;
    const key = matchKey(row[run.externalIdField]);
    found.set(key, [...(found.get(key) ?? []), id]);
  }
  return {
    kind: "records",
    results: records.map((record): RecordVerdict => {
      const ids = found.get(matchKey(externalIdOf(record, run.externalIdField))) ?? [];
      // A query page holds 2,000 rows; an unfinished one may hold this record's match on a later page.
      if (ids.length === 0 && !parsed.data.done) {
        return { status: "retryable", reason: "the lookup matched more records than one query page holds" };
      }
      run.ids.set(record, ids);
      return { status: "ok" };
    }),
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
