// Delivery to Braze on the shared HTTP kit. Rows become user attributes objects or custom event objects
// in POST /users/track (up to 75 per request); rows removed in a mirror sync become external_ids in
// POST /users/delete (up to 50 per request). Responses, per the Braze docs:
//   2xx {"message":"success"}                        → every record ok
//   2xx {"message":"success","errors":[{type,input_array,index}]} → the record at `index` rejected with `type`
//   2xx {"message":"queued"} (maintenance)           → ok: Braze accepted and queued it
//   400                                              → whole request rejected; the kit splits it to isolate the bad record
//   401, 404 (unknown key) / 403 (missing permission)→ FatalDestinationError naming the key or the permission
//   429                                              → rate_limited until Retry-After / X-RateLimit-Reset
//   5xx, 408                                         → retryable
import { createHash } from "node:crypto";
import type { RecordVerdict, ResponseVerdict } from "../../kit/contract";
import { type DeliveryRecord, type DestinationDriver, FatalDestinationError } from "../../kit/delivery";
import type { HttpResponse } from "../../kit/http";
import {
  bodyExcerpt,
  deliverHttpBatch,
  type HttpCall,
  type HttpDestination,
  headerValue,
  type RequestContext,
} from "../../kit/http-destination";
import { parseRetryAfter } from "../../kit/retry";
import type { BrazeConfig } from "./config";
import {
  BRAZE_DELETE_MAX_IDS,
  BRAZE_EVENT_PROPERTIES_MAX_BYTES,
  BRAZE_MAX_NAME_CHARS,
  BRAZE_TRACK_RATE,
  brazeContract,
} from "./contract";

type Ctx = RequestContext<BrazeConfig>;
type Group = "track" | "delete";

/** Requests' worth of records read per deliver() call, so several requests can be in flight. */
const REQUESTS_PER_PAGE = 8;
const RESERVED_EVENT_PROPERTIES = new Set(["time", "event_name"]);

/** The record's external_id as Braze takes it (a string), or undefined when absent or unusable. */
export function externalIdOf(record: DeliveryRecord): string | undefined {
  const value = record.data?.external_id;
  if (typeof value === "string") return value.trim() === "" ? undefined : value;
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  if (typeof value === "bigint") return value.toString();
  return undefined;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function eventName(record: DeliveryRecord, config: BrazeConfig): unknown {
  return record.data?.name ?? config.eventName;
}

/** Why Braze could not take this record, checked before any request; undefined when it can. */
function check(record: DeliveryRecord, ctx: Ctx): string | undefined {
  const raw = record.data?.external_id;
  if (externalIdOf(record) === undefined) {
    if (record.op === "delete") {
      return "no external_id for this removed row, so Braze cannot be told which user to delete (Sluice had no last synced external_id for it)";
    }
    return raw === undefined || raw === null || raw === ""
      ? "external_id is missing: map a column to external_id"
      : `external_id must be a string or a number, not ${JSON.stringify(raw)?.slice(0, 80)}`;
  }
  if (ctx.object.name !== "events") return undefined;
  if (record.op === "delete") return "Braze has no API to delete custom events; use an insert or upsert sync for events";
  const name = eventName(record, ctx.config);
  if (typeof name !== "string" || name.trim() === "") {
    return "the event has no name: map a column to `name` or set a default event name on the destination";
  }
  if (name.length > BRAZE_MAX_NAME_CHARS) return `the event name is ${name.length} characters; Braze takes at most 255`;
  const time = record.data?.time;
  if (time !== undefined && time !== null && (typeof time !== "string" || Number.isNaN(Date.parse(time)))) {
    return `time ${JSON.stringify(time)} is not an ISO 8601 date-time (e.g. 2024-05-01T12:00:00Z)`;
  }
  const properties = record.data?.properties;
  if (properties !== undefined && properties !== null) {
    if (!isPlainObject(properties)) return "properties must be an object: map columns to properties.<name>";
    for (const key of Object.keys(properties)) {
      if (RESERVED_EVENT_PROPERTIES.has(key)) return `the event property "${key}" is reserved by Braze; map it to another name`;
      if (key.startsWith("$")) return `the event property "${key}" starts with $, which Braze does not allow`;
      if (key.length > BRAZE_MAX_NAME_CHARS) return `the event property name "${key.slice(0, 40)}…" is over 255 characters`;
    }
    const bytes = Buffer.byteLength(JSON.stringify(properties));
    if (bytes > BRAZE_EVENT_PROPERTIES_MAX_BYTES) {
      return `the event properties take ${bytes} bytes, over Braze's ${BRAZE_EVENT_PROPERTIES_MAX_BYTES}-byte limit`;
    }
  }
  return undefined;
}

/** A user attributes object: every mapped field, external_id as a string; "update" mode only touches existing users. */
function attributesObject(record: DeliveryRecord, ctx: Ctx): Record<string, unknown> {
  return {
    ...record.data,
    external_id: externalIdOf(record),
    ...(ctx.mode === "update" ? { _update_existing_only: true } : {}),
  };
}

function eventObject(record: DeliveryRecord, ctx: Ctx, now: string): Record<string, unknown> {
  const data = record.data ?? {};
  const properties = data.properties;
  return {
    external_id: externalIdOf(record),
    ...(typeof data.app_id === "string" && data.app_id !== "" ? { app_id: data.app_id } : {}),
    name: eventName(record, ctx.config),
    time: typeof data.time === "string" ? data.time : now,
    ...(isPlainObject(properties) && Object.keys(properties).length > 0 ? { properties } : {}),
  };
}

function buildRequest(records: DeliveryRecord[], group: string, ctx: Ctx): HttpCall {
  const headers = { authorization: `Bearer ${ctx.config.apiKey}`, "content-type": "application/json" };
  if (group === "delete") {
    return {
      method: "POST",
      url: `${ctx.config.restEndpoint}/users/delete`,
      headers,
      body: JSON.stringify({ external_ids: records.map((r) => externalIdOf(r)) }),
      secretHeaders: ["authorization"],
    };
  }
  const now = new Date().toISOString();
  const body =
    ctx.object.name === "events"
      ? { events: records.map((r) => eventObject(r, ctx, now)) }
      : { attributes: records.map((r) => attributesObject(r, ctx)) };
  return {
    method: "POST",
    url: `${ctx.config.restEndpoint}/users/track`,
    headers,
    body: JSON.stringify(body),
    secretHeaders: ["authorization"],
  };
}

interface BrazeError {
  type?: unknown;
  input_array?: unknown;
  index?: unknown;
}

function parseBody(body: string): { message?: unknown; errors?: unknown } | undefined {
  try {
    const json: unknown = JSON.parse(body);
    return isPlainObject(json) ? json : undefined;
  } catch {
    return undefined;
  }
}

/** Braze's words for a response, for reasons shown to users. */
function brazeSays(response: HttpResponse): string {
  const json = parseBody(response.body);
  if (!json) return bodyExcerpt(response.body) || "(empty body)";
  const parts: string[] = [];
  if (typeof json.message === "string") parts.push(json.message);
  if (Array.isArray(json.errors) && json.errors.length > 0) parts.push(bodyExcerpt(JSON.stringify(json.errors), 200));
  return parts.join(" — ") || bodyExcerpt(response.body);
}

/** Milliseconds to wait after a 429: Retry-After, else X-RateLimit-Reset (UTC epoch seconds, api_limits). */
export function brazeRetryAfterMs(response: HttpResponse, now: number = Date.now()): number | undefined {
  const retryAfter = parseRetryAfter(headerValue(response, "retry-after"), now);
  if (retryAfter !== undefined) return retryAfter;
  const reset = Number(headerValue(response, "x-ratelimit-reset"));
  if (!Number.isFinite(reset) || reset <= 0) return undefined;
  return Math.max(0, reset * 1000 - now);
}

function classify(response: HttpResponse, records: DeliveryRecord[], group: string, ctx: Ctx): ResponseVerdict {
  const { status } = response;
  const permission = group === "delete" ? "users.delete" : "users.track";
  const request = (verdict: RecordVerdict, split?: boolean): ResponseVerdict => ({
    kind: "request",
    verdict,
    ...(split === undefined ? {} : { split }),
  });
  if (status >= 200 && status < 300) return successVerdict(response, records, group, ctx);
  if (status === 401 || status === 404) {
    throw new FatalDestinationError(
      `Braze refused the REST API key (HTTP ${status}: ${brazeSays(response)}) — check the API key, and that ${ctx.config.restEndpoint} is your instance's REST endpoint`,
    );
  }
  if (status === 403) {
    throw new FatalDestinationError(
      `Braze refused the request (HTTP 403: ${brazeSays(response)}) — give the REST API key the ${permission} permission (Braze: Settings → APIs and Identifiers → API Keys), or check that the workspace is active`,
    );
  }
  if (status >= 300 && status < 400) {
    throw new FatalDestinationError(
      `Braze answered with a redirect (HTTP ${status}), which Sluice does not follow — check the REST endpoint`,
    );
  }
  if (status === 429) {
    const retryAfterMs = brazeRetryAfterMs(response);
    return request({
      status: "rate_limited",
      reason: `Braze rate limit reached (HTTP 429)`,
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    });
  }
  if (status === 408 || status >= 500) {
    return request({ status: "retryable", reason: `Braze server error (HTTP ${status}): ${brazeSays(response)}` });
  }
  return request({ status: "rejected", reason: `Braze rejected the request (HTTP ${status}): ${brazeSays(response)}` });
}

/** A 2xx: per-record errors map to records by `input_array` and `index`; everything else was processed. */
function successVerdict(response: HttpResponse, records: DeliveryRecord[], group: string, ctx: Ctx): ResponseVerdict {
  const ok: RecordVerdict[] = records.map(() => ({ status: "ok" }));
  if (group === "delete") return { kind: "records", results: ok };
  const json = parseBody(response.body);
  const errors = Array.isArray(json?.errors) ? (json.errors as BrazeError[]) : [];
  if (errors.length === 0) return { kind: "records", results: ok };
  const array = ctx.object.name === "events" ? "events" : "attributes";
  const results = ok;
  const unplaced: string[] = [];
  for (const error of errors) {
    const type = typeof error?.type === "string" ? error.type : bodyExcerpt(JSON.stringify(error), 200);
    const index = typeof error?.index === "number" ? error.index : Number.NaN;
    const inArray = error?.input_array === undefined || error.input_array === array;
    if (inArray && Number.isInteger(index) && index >= 0 && index < records.length) {
      const previous = results[index];
      const reason = previous?.status === "rejected" ? `${previous.reason}; ${type}` : `Braze: ${type}`;
      results[index] = { status: "rejected", reason };
    } else unplaced.push(type);
  }
  if (unplaced.length > 0) {
    const reason = `Braze reported errors it did not tie to an object: ${unplaced.join("; ")}`;
    if (records.length === 1) return { kind: "records", results: [{ status: "rejected", reason }] };
    // Attributes are idempotent: re-sending halves finds the culprit without harm. Events are not
    // (Braze does not deduplicate them), so those are left as delivered rather than sent twice.
    if (array === "attributes") return { kind: "request", verdict: { status: "rejected", reason } };
  }
  return { kind: "records", results };
}

export const brazeHttp: HttpDestination<BrazeConfig> = {
  slug: "braze",
  contract: brazeContract,
  accountKey: (config) =>
    `${new URL(config.restEndpoint).host}:${createHash("sha256").update(config.apiKey).digest("hex").slice(0, 16)}`,
  pageSize: (config) => config.batchSize * REQUESTS_PER_PAGE,
  group: (record) => (record.op === "delete" ? "delete" : "track") satisfies Group,
  maxRecords: (group, ctx) => (group === "delete" ? BRAZE_DELETE_MAX_IDS : ctx.config.batchSize),
  check,
  buildRequest,
  classify,
};

/** The contract with this destination's configured request rate (Braze raises limits per workspace on request). */
function withConfiguredRate(config: BrazeConfig): HttpDestination<BrazeConfig> {
  const perSecond = config.requestsPerSecond;
  const rateLimit = { ...brazeContract.rateLimit, requests: perSecond * 3, perMs: 3_000 };
  if (rateLimit.requests === BRAZE_TRACK_RATE.requests) return brazeHttp;
  return { ...brazeHttp, contract: { ...brazeContract, rateLimit } };
}

export const brazeDriver: DestinationDriver<BrazeConfig> = {
  maxBatchRecords: (config) => config.batchSize * REQUESTS_PER_PAGE,
  deliver: (config, batch, options) => deliverHttpBatch(withConfiguredRate(config), config, batch, options),
};
