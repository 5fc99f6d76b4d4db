// Delivery to a webhook, on the shared HTTP kit (batching, concurrency, retries, splitting, masking):
// JSON POSTs of many records (`delivery: "batch"`) or one each (`"record"`), optionally signed, each record
// in Sluice's wire format or shaped by the record template. Responses:
//   2xx with {"results": [...]}  → per record: ok | rejected(reason) | retry → failed (the next run sends it)
//   2xx with unreadable results  → every record failed: retried by the next run, not re-sent now (the
//                                  endpoint may have applied the batch)
//   2xx otherwise                → every record ok
//   429, 503 with Retry-After    → waited out: Retry-After honoured, concurrency halved, nothing lost
//   408, 5xx, network error      → retried with backoff; once the attempts are spent, failed (next run)
//   401, 403, 3xx                → FatalDestinationError: credentials or URL need fixing, the run fails
//   other 4xx                    → the request is split to isolate the bad record(s), which are rejected
import { WEBHOOK_SIGNATURE_HEADER, type WebhookBatch, WebhookResponseSchema } from "@sluice/contracts/webhook";
import { signWebhookBody } from "@sluice/contracts/webhook-signature";
import type { RecordVerdict, ResponseVerdict } from "../../kit/contract";
import {
  type BatchOutcome,
  type DeliverOptions,
  type DeliveryBatch,
  type DeliveryRecord,
  type DestinationDriver,
  FatalDestinationError,
} from "../../kit/delivery";
import type { HttpResponse } from "../../kit/http";
import {
  bodyExcerpt,
  deliverHttpBatch,
  type HttpDestination,
  headerValue,
  type RequestContext,
} from "../../kit/http-destination";
import { parseRetryAfter } from "../../kit/retry";
import { AdaptiveConcurrency } from "../../kit/throttle";
import { type WebhookConfig, webhookConfigSchema } from "./config";
import { webhookContract } from "./contract";
import { compileTemplate } from "./template";

const USER_AGENT = "Sluice-Webhook/1";
/** Records read per deliver() call in one-record-per-request mode: enough to keep the requests in flight busy. */
const RECORDS_PER_CALL_SINGLE = 50;

type Ctx = RequestContext<WebhookConfig>;

// An invalid stored config gets one record, one batch at a time: deliver() refuses it on that first batch.
export const webhookDriver: DestinationDriver<WebhookConfig> = {
  maxBatchRecords: (config) => {
    const c = settings(config);
    return c ? pageSize(c) : 1;
  },
  batchesInFlight: (config) => {
    const c = settings(config);
    return c && c.delivery === "batch" ? c.concurrency : 1;
  },
  // Records become JSON (or a JSON template) and nothing else.
  jsonValues: true,
  deliver: deliverWebhookBatch,
};

/**
 * Batch delivery: one engine batch is one request of `batchSize` records, and the engine keeps `concurrency`
 * of them in flight (a sliding window, checkpointed as they finish in order). One record per request: one
 * engine batch carries enough records for every request the concurrency allows.
 */
function pageSize(config: WebhookConfig): number {
  return config.delivery === "record"
    ? Math.min(10_000, config.concurrency * RECORDS_PER_CALL_SINGLE)
    : Math.min(50_000, config.batchSize);
}

/** A stored config with the schema's defaults filled in; undefined when it is invalid. */
function settings(config: WebhookConfig): WebhookConfig | undefined {
  const parsed = webhookConfigSchema.safeParse(config);
  return parsed.success ? parsed.data : undefined;
}

export async function deliverWebhookBatch(
  rawConfig: WebhookConfig,
  batch: DeliveryBatch,
  options: DeliverOptions,
): Promise<BatchOutcome> {
  const parsed = webhookConfigSchema.safeParse(rawConfig);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new FatalDestinationError(
      `the webhook's settings are invalid (${issue?.path.join(".") || "config"}: ${issue?.message})`,
    );
  }
  const config = parsed.data;
  const definition = webhookDefinition(config);
  return deliverHttpBatch(definition, config, batch, {
    ...options,
    concurrency: options.concurrency ?? ((account) => limiterFor(account, config.concurrency)),
  });
}

const limiters = new Map<string, AdaptiveConcurrency>();

/** One limiter per endpoint and configured ceiling in this process, shared by every sync posting there. */
function limiterFor(account: string, max: number): AdaptiveConcurrency {
  const key = `${account}#${max}`;
  let limiter = limiters.get(key);
  if (!limiter) {
    limiter = new AdaptiveConcurrency({ initial: max, max });
    limiters.set(key, limiter);
  }
  return limiter;
}

function webhookDefinition(config: WebhookConfig): HttpDestination<WebhookConfig> {
  const target = new URL(config.url);
  const render = config.recordTemplate ? compileTemplate(config.recordTemplate) : undefined;
  const basicAuth = target.username || target.password ? basicAuthHeader(target) : undefined;
  target.username = "";
  target.password = "";
  const url = target.toString();
  return {
    slug: "webhook",
    contract: webhookContract,
    // The endpoint (no credentials): syncs posting to one endpoint share its concurrency.
    accountKey: () => `${target.protocol}//${target.host}`,
    pageSize,
    // Records of every op go together: the wire format carries the op per record.
    group: () => "records",
    maxRecords: () => (config.delivery === "record" ? 1 : config.batchSize),
    buildRequest: (records, _group, ctx) => {
      const batchId = requestBatchId(ctx, records);
      const wire = (record: DeliveryRecord) =>
        render
          ? render({ ...record, data: record.data ?? null, syncId: ctx.batch.syncId, runId: ctx.batch.runId, batchId })
          : wireRecord(record);
      const body =
        render && config.delivery === "record"
          ? JSON.stringify(wire(records[0] as DeliveryRecord))
          : JSON.stringify({ syncId: ctx.batch.syncId, runId: ctx.batch.runId, batchId, records: records.map(wire) });
      return {
        method: "POST",
        url,
        headers: buildHeaders(config, body, basicAuth),
        body,
        secretHeaders: secretHeaders(config),
        gzip: config.gzip,
      };
    },
    classify,
  };
}

/**
 * The batch id a request carries: the engine's batch id, plus the position of its first record when the
 * engine's batch goes out in several requests. Deterministic, so a re-sent request carries the same id.
 */
function requestBatchId(ctx: Ctx, records: DeliveryRecord[]): string {
  if (records.length === ctx.batch.size) return ctx.batch.batchId;
  // The key's end differs per record (its start is the same for the whole run).
  const first = records[0]?.idempotencyKey.slice(-12) ?? "empty";
  return `${ctx.batch.batchId}.${first}`;
}

/** The wire record: a delete carries its key alone (its last synced fields stay inside Sluice). */
function wireRecord(r: DeliveryRecord): WebhookBatch["records"][number] {
  type Key = WebhookBatch["records"][number]["key"];
  if (r.op === "delete") return { op: r.op, key: r.key as Key, idempotencyKey: r.idempotencyKey };
  return r as WebhookBatch["records"][number];
}

/** One HTTP response → per-record results, a whole-request verdict, or a fatal error. */
export function classify(response: HttpResponse, records: DeliveryRecord[]): ResponseVerdict {
  const { status } = response;
  if (status >= 200 && status < 300) return perRecordResults(response, records.length);
  if (status === 401 || status === 403) {
    const said = bodyExcerpt(response.body);
    throw new FatalDestinationError(
      `the webhook refused Sluice's request (HTTP ${status}) — check its credentials/headers${said ? ` — it said: ${said}` : ""}`,
    );
  }
  if (status >= 300 && status < 400) {
    const location = headerValue(response, "location");
    throw new FatalDestinationError(
      `the webhook answered with a redirect (HTTP ${status}${location ? ` to ${displayUrl(location)}` : ""}), which Sluice does not follow — use the final URL`,
    );
  }
  const said = bodyExcerpt(response.body);
  const suffix = said ? `: ${said}` : "";
  const retryAfterMs = parseRetryAfter(headerValue(response, "retry-after"));
  // 429, and a 503 that says when to come back (RFC 9110 §10.2.3), are waited out without spending attempts.
  if (status === 429 || (status === 503 && retryAfterMs !== undefined)) {
    return {
      kind: "request",
      verdict: {
        status: "rate_limited",
        reason: `webhook ${status === 429 ? "rate limited" : "unavailable"} (HTTP ${status})${suffix}`,
        ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
      },
    };
  }
  if (status === 408 || status >= 500) {
    const what = status === 408 ? "request timeout" : "server error";
    return { kind: "request", verdict: { status: "retryable", reason: `webhook ${what} (HTTP ${status})${suffix}` } };
  }
  return { kind: "request", verdict: { status: "rejected", reason: `webhook rejected the batch (HTTP ${status})${suffix}` } };
}

/** A 2xx body: `{"results": [...]}` in record order gives per-record results; any other body means all ok. */
function perRecordResults(response: HttpResponse, count: number): ResponseVerdict {
  const all = (verdict: RecordVerdict): ResponseVerdict => ({ kind: "request", verdict, split: false });
  let json: unknown;
  try {
    json = response.body.trim() === "" ? undefined : JSON.parse(response.body);
  } catch {
    json = undefined;
  }
  const hasResults = typeof json === "object" && json !== null && !Array.isArray(json) && "results" in json;
  if (!hasResults) {
    if (response.truncated) return all({ status: "failed", reason: "webhook response was too large to read" });
    return all({ status: "ok" });
  }
  const parsed = WebhookResponseSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const results = (json as { results?: unknown }).results;
    const n = Array.isArray(results) ? results.length : 0;
    return all({
      status: "failed",
      reason: `webhook returned ${n} invalid results for ${count} records (${issue?.path.join(".") || "results"}: ${issue?.message})`,
    });
  }
  const { results } = parsed.data;
  if (results.length !== count) {
    return all({ status: "failed", reason: `webhook returned ${results.length} results for ${count} records` });
  }
  return {
    kind: "records",
    results: results.map((r): RecordVerdict => {
      if (r.status === "ok") return { status: "ok" };
      if (r.status === "rejected") return { status: "rejected", reason: r.reason || "rejected by the webhook" };
      // "retry" means: not now — the next run sends it again (issue 3: retried on the next run, not before).
      return { status: "failed", reason: r.reason || "the webhook asked to retry this record" };
    }),
  };
}

/** Request headers: the configured ones, ours, the signature, and Basic auth from URL credentials. */
function buildHeaders(config: WebhookConfig, body: string, basicAuth: string | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  const ours = new Set(["content-type", "content-length", "user-agent", WEBHOOK_SIGNATURE_HEADER.toLowerCase(), "host"]);
  for (const [name, value] of Object.entries(config.headers ?? {})) {
    if (!ours.has(name.toLowerCase())) headers[name] = value;
  }
  // user:password in the URL means HTTP Basic auth (RFC 3986 §3.2.1); an explicit Authorization header wins.
  if (basicAuth && !Object.keys(headers).some((h) => h.toLowerCase() === "authorization")) headers.authorization = basicAuth;
  headers["content-type"] = "application/json";
  headers["user-agent"] = USER_AGENT;
  if (config.signingSecret) headers[WEBHOOK_SIGNATURE_HEADER] = signWebhookBody(body, config.signingSecret);
  return headers;
}

/** Every configured header carries a secret as far as Sluice knows, and so does the signature. */
function secretHeaders(config: WebhookConfig): string[] {
  return [...Object.keys(config.headers ?? {}), WEBHOOK_SIGNATURE_HEADER];
}

function basicAuthHeader(url: URL): string {
  const credentials = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
  return `Basic ${Buffer.from(credentials).toString("base64")}`;
}

/** A URL without user:password (which would otherwise travel into run records and logs). */
function displayUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = "";
    u.password = "";
    return u.toString();
  } catch {
    return url.slice(0, 200);
  }
}
