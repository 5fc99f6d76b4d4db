// Delivery to a Segment-compatible HTTP Tracking API on the shared HTTP kit: each row becomes one Identify,
// Track or Group message, packed into POST <base URL>/v1/batch requests of at most 500 KB (the kit packs by
// bytes) with write-key basic auth. Each message's messageId is the record's idempotency key, so a batch
// sent again after a crash is deduplicated by Segment. Responses, per Segment's docs:
//   2xx                   → every message accepted (Segment answers 200 to every well-formed batch)
//   400, 413              → the batch as a whole was refused; the kit splits it to isolate the bad message
//   401, 403              → FatalDestinationError: check the write key
//   404, 3xx              → FatalDestinationError: check the base URL
//   429                   → rate_limited until Retry-After / X-RateLimit-Reset (seconds)
//   5xx, 408              → retryable
// Messages Segment would accept with a 200 and then drop (no userId/anonymousId, Track without an event,
// over 32 KB) are rejected here, before sending, with the reason.
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
import type { SegmentConfig } from "./config";
import { SEGMENT_MAX_MESSAGE_BYTES, SEGMENT_MAX_MESSAGE_ID_CHARS, SEGMENT_RATE, segmentContract } from "./contract";

type Ctx = RequestContext<SegmentConfig>;
export type SegmentMessage = Record<string, unknown> & { type: string; messageId: string };

/** Requests' worth of records read per deliver() call, so several requests can be in flight. */
const REQUESTS_PER_PAGE = 4;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** An ID as Segment takes it (a string); numbers from the warehouse are turned into strings. */
function idOf(value: unknown): string | undefined {
  if (typeof value === "string") return value.trim() === "" ? undefined : value;
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  if (typeof value === "bigint") return value.toString();
  return undefined;
}

/** The record's idempotency key, hashed only if it were too long for Segment's deduplication. */
export function messageIdOf(record: DeliveryRecord): string {
  const key = record.idempotencyKey;
  return key.length <= SEGMENT_MAX_MESSAGE_ID_CHARS ? key : createHash("sha256").update(key).digest("hex");
}

/** The message for one record, or why the Tracking API would not take it. */
export function buildMessage(record: DeliveryRecord, ctx: Ctx): SegmentMessage | string {
  const object = ctx.object.name;
  if (record.op === "delete") {
    return "the Tracking API has no delete call: a row removed from the model cannot be sent (mirror mode is not supported)";
  }
  const data = record.data ?? {};
  const message: SegmentMessage = { type: object, messageId: messageIdOf(record) };
  for (const field of ["userId", "anonymousId"] as const) {
    const raw = data[field];
    if (raw === undefined || raw === null || raw === "") continue;
    const id = idOf(raw);
    if (id === undefined) return `${field} must be a string or a number, not ${JSON.stringify(raw)?.slice(0, 80)}`;
    message[field] = id;
  }
  if (message.userId === undefined && message.anonymousId === undefined) {
    return "userId and anonymousId are both missing: map a column to userId (or anonymousId)";
  }
  if (data.timestamp !== undefined && data.timestamp !== null) {
    if (typeof data.timestamp !== "string" || Number.isNaN(Date.parse(data.timestamp))) {
      return `timestamp ${JSON.stringify(data.timestamp)} is not an ISO 8601 date-time (e.g. 2024-05-01T12:00:00Z)`;
    }
    message.timestamp = data.timestamp;
  }
  if (data.context !== undefined && data.context !== null) {
    if (!isPlainObject(data.context)) return "context must be an object: map columns to context.<name>";
    message.context = data.context;
  }
  const bag = object === "track" ? "properties" : "traits";
  const values = data[bag];
  if (values !== undefined && values !== null) {
    if (!isPlainObject(values)) return `${bag} must be an object: map columns to ${bag}.<name>`;
    message[bag] = values;
  }
  if (object === "track") {
    const event = data.event ?? ctx.config.eventName;
    if (typeof event !== "string" || event.trim() === "") {
      return "the Track call has no event name: map a column to `event` or set an event name on the destination";
    }
    message.event = event;
  }
  if (object === "group") {
    const groupId = idOf(data.groupId);
    if (groupId === undefined) return "groupId is missing: map a column to groupId";
    message.groupId = groupId;
  }
  const bytes = Buffer.byteLength(JSON.stringify(message));
  if (bytes > SEGMENT_MAX_MESSAGE_BYTES) {
    return `the message takes ${bytes} bytes, over the Tracking API's ${SEGMENT_MAX_MESSAGE_BYTES}-byte (32 KB) limit per message`;
  }
  return message;
}

function check(record: DeliveryRecord, ctx: Ctx): string | undefined {
  const message = buildMessage(record, ctx);
  return typeof message === "string" ? message : undefined;
}

function buildRequest(records: DeliveryRecord[], _group: string, ctx: Ctx): HttpCall {
  const batch = records.map((record) => {
    const message = buildMessage(record, ctx);
    // check() ran first, so this cannot happen; if it did, the kit isolates the record.
    if (typeof message === "string") throw new Error(message);
    return message;
  });
  return {
    method: "POST",
    url: `${ctx.config.baseUrl}/v1/batch`,
    headers: {
      authorization: `Basic ${Buffer.from(`${ctx.config.writeKey}:`).toString("base64")}`,
      "content-type": "application/json",
    },
    // The write key goes in the header only: a key in the body would be recorded with the request.
    body: JSON.stringify({ batch, sentAt: new Date().toISOString() }),
    secretHeaders: ["authorization"],
  };
}

/** Milliseconds to wait after a 429: Retry-After, else X-RateLimit-Reset (seconds to wait, per Segment). */
export function segmentRetryAfterMs(response: HttpResponse, now: number = Date.now()): number | undefined {
  const retryAfter = parseRetryAfter(headerValue(response, "retry-after"), now);
  if (retryAfter !== undefined) return retryAfter;
  const reset = Number(headerValue(response, "x-ratelimit-reset"));
  return Number.isFinite(reset) && reset >= 0 ? reset * 1000 : undefined;
}

function classify(response: HttpResponse, records: DeliveryRecord[], _group: string, ctx: Ctx): ResponseVerdict {
  const { status } = response;
  const said = bodyExcerpt(response.body) || "(empty body)";
  const request = (verdict: RecordVerdict): ResponseVerdict => ({ kind: "request", verdict });
  if (status >= 200 && status < 300) return { kind: "records", results: records.map(() => ({ status: "ok" })) };
  if (status === 401 || status === 403) {
    throw new FatalDestinationError(
      `the Tracking API refused the write key (HTTP ${status}: ${said}) — check the write key (Segment: Connections → Sources → your HTTP API source → Settings → API Keys)`,
    );
  }
  if (status === 404) {
    throw new FatalDestinationError(
      `${ctx.config.baseUrl}/v1/batch does not exist (HTTP 404) — check the base URL (e.g. https://api.segment.io, or https://events.eu1.segmentapis.com for EU workspaces)`,
    );
  }
  if (status >= 300 && status < 400) {
    throw new FatalDestinationError(
      `the Tracking API answered with a redirect (HTTP ${status}), which Sluice does not follow — check the base URL`,
    );
  }
  if (status === 429) {
    const retryAfterMs = segmentRetryAfterMs(response);
    return request({
      status: "rate_limited",
      reason: "Tracking API rate limit reached (HTTP 429)",
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    });
  }
  if (status === 408 || status >= 500) {
    return request({ status: "retryable", reason: `Tracking API server error (HTTP ${status}): ${said}` });
  }
  return request({ status: "rejected", reason: `the Tracking API refused the batch (HTTP ${status}): ${said}` });
}

export const segmentHttp: HttpDestination<SegmentConfig> = {
  slug: "segment",
  contract: segmentContract,
  accountKey: (config) =>
    `${new URL(config.baseUrl).host}:${createHash("sha256").update(config.writeKey).digest("hex").slice(0, 16)}`,
  pageSize: (config) => config.batchSize * REQUESTS_PER_PAGE,
  group: () => "batch",
  maxRecords: (_group, ctx) => ctx.config.batchSize,
  check,
  buildRequest,
  classify,
};

/** The contract with this destination's configured request rate. */
function withConfiguredRate(config: SegmentConfig): HttpDestination<SegmentConfig> {
  if (config.requestsPerSecond === SEGMENT_RATE.requests) return segmentHttp;
  const rateLimit = { ...segmentContract.rateLimit, requests: config.requestsPerSecond, perMs: 1_000 };
  return { ...segmentHttp, contract: { ...segmentContract, rateLimit } };
}

export const segmentDriver: DestinationDriver<SegmentConfig> = {
  maxBatchRecords: (config) => config.batchSize * REQUESTS_PER_PAGE,
  deliver: (config, batch, options) => deliverHttpBatch(withConfiguredRate(config), config, batch, options),
};
