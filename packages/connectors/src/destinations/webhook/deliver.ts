// Delivery of one batch to a webhook (issue 3, item 7): one JSON POST, optionally signed, and the
// response turned into one result per record.
//   2xx with {"results": [...]}  → per record: ok | rejected(reason) | retry → failed (retried next run)
//   2xx otherwise                → every record ok
//   408, 429, 5xx, network error → retried here with backoff (Retry-After honoured); once the attempts are
//                                  spent every record is failed with the last reason
//   401, 403, 3xx                → FatalDestinationError: credentials or URL need fixing, the run fails
//   other 4xx                    → every record rejected with the status and an excerpt of the body
import { WEBHOOK_SIGNATURE_HEADER, type WebhookBatch, WebhookResponseSchema } from "@sluice/contracts/webhook";
import { signWebhookBody } from "@sluice/contracts/webhook-signature";
import {
  type BatchOutcome,
  type DeliverOptions,
  type DeliveryBatch,
  type DestinationDriver,
  FatalDestinationError,
  type RecordResult,
  truncateForRecord,
} from "../../kit/delivery";
import {
  DEFAULT_CONNECT_TIMEOUT_MS,
  DEFAULT_RESPONSE_TIMEOUT_MS,
  delayedAbortSignal,
  describeHttpError,
  findPrivateAddressError,
  type HttpResponse,
  httpRequest,
} from "../../kit/http";
import { type AttemptResult, DEFAULT_RETRY_POLICY, parseRetryAfter, withRetry } from "../../kit/retry";
import { type WebhookConfig, webhookConfigSchema } from "./config";

type WebhookRecordKey = WebhookBatch["records"][number]["key"];

/** How long a request in flight may still run once the caller's signal aborts (worker draining). */
export const ABORT_GRACE_MS = 5_000;
const MASK = "••••••••";
const USER_AGENT = "Sluice-Webhook/1";
const REASON_EXCERPT_CHARS = 300;

export const webhookDriver: DestinationDriver<WebhookConfig> = {
  maxBatchRecords: (config) => config.batchSize,
  deliver: deliverWebhookBatch,
};

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
  const started = performance.now();
  const count = batch.records.length;

  const wire: WebhookBatch = {
    syncId: batch.syncId,
    runId: batch.runId,
    batchId: batch.batchId,
    // Records already have the wire shape; only deletes carrying their last synced fields are copied, as
    // the protocol sends a delete's key alone.
    records: batch.records.map((r) =>
      r.op === "delete" && r.data !== undefined
        ? { op: r.op, key: r.key as WebhookRecordKey, idempotencyKey: r.idempotencyKey }
        : (r as WebhookBatch["records"][number]),
    ),
  };
  const body = JSON.stringify(wire);
  const { headers, recorded } = buildHeaders(config, body);
  const target = new URL(config.url);
  if (target.username || target.password) {
    // user:password in the URL means HTTP Basic auth (RFC 3986 §3.2.1); an explicit Authorization header wins.
    if (!Object.keys(headers).some((h) => h.toLowerCase() === "authorization")) {
      const credentials = `${decodeURIComponent(target.username)}:${decodeURIComponent(target.password)}`;
      headers.authorization = `Basic ${Buffer.from(credentials).toString("base64")}`;
      recorded.authorization = MASK;
    }
    target.username = "";
    target.password = "";
  }
  const request = { method: "POST", url: displayUrl(config.url), headers: recorded, body: truncateForRecord(body) };
  const timeouts = {
    connectTimeoutMs: options.timeouts?.connectMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
    responseTimeoutMs: options.timeouts?.responseMs ?? DEFAULT_RESPONSE_TIMEOUT_MS,
  };

  let lastResponse: HttpResponse | undefined;
  const attempt = async (): Promise<AttemptResult<RecordResult[]>> => {
    lastResponse = undefined;
    const abort = delayedAbortSignal(options.signal, ABORT_GRACE_MS);
    let response: HttpResponse;
    try {
      response = await httpRequest({
        method: "POST",
        url: target.toString(),
        headers,
        body,
        allowPrivate: options.allowPrivate,
        ...timeouts,
        signal: abort.signal,
      });
    } catch (error) {
      const refused = findPrivateAddressError(error);
      if (refused) throw new FatalDestinationError(`the webhook URL is not allowed: ${refused.message}`);
      if (options.signal?.aborted) throw error;
      return { kind: "retry", reason: `webhook request failed: ${describeHttpError(error, timeouts)}` };
    } finally {
      abort.dispose();
    }
    lastResponse = response;
    return classify(response, count);
  };

  const result = await withRetry(options.retry ?? DEFAULT_RETRY_POLICY, attempt, options.signal);
  const results: RecordResult[] =
    result.kind === "done" ? result.value : batch.records.map(() => ({ status: "failed", reason: result.reason }));
  return {
    results,
    attempts: result.attempts,
    latencyMs: Math.round(performance.now() - started),
    request,
    ...(lastResponse ? { response: { status: lastResponse.status, body: truncateForRecord(lastResponse.body) } } : {}),
  };
}

/** One HTTP response → per-record results, a retry, or a fatal error. */
function classify(response: HttpResponse, count: number): AttemptResult<RecordResult[]> {
  const { status } = response;
  const all = (r: RecordResult): AttemptResult<RecordResult[]> => ({
    kind: "done",
    value: Array.from({ length: count }, () => r),
  });
  if (status >= 200 && status < 300) return { kind: "done", value: perRecordResults(response, count) };
  if (status === 401 || status === 403) {
    throw new FatalDestinationError(
      `the webhook refused Sluice's request (HTTP ${status}) — check its credentials/headers${excerpt(response.body, " — it said: ")}`,
    );
  }
  if (status >= 300 && status < 400) {
    const location = header(response, "location");
    throw new FatalDestinationError(
      `the webhook answered with a redirect (HTTP ${status}${location ? ` to ${displayUrl(location, true)}` : ""}), which Sluice does not follow — use the final URL`,
    );
  }
  if (status === 408 || status === 429 || status >= 500) {
    const retryAfterMs = parseRetryAfter(header(response, "retry-after"));
    const what = status === 429 ? "rate limited" : status === 408 ? "request timeout" : "server error";
    return {
      kind: "retry",
      reason: `webhook ${what} (HTTP ${status})${excerpt(response.body, ": ")}`,
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    };
  }
  return all({ status: "rejected", reason: `webhook rejected the batch (HTTP ${status})${excerpt(response.body, ": ")}` });
}

/** A 2xx body: `{"results": [...]}` in record order gives per-record results; any other body means all ok. */
function perRecordResults(response: HttpResponse, count: number): RecordResult[] {
  const failAll = (reason: string): RecordResult[] => Array.from({ length: count }, () => ({ status: "failed", reason }));
  let json: unknown;
  try {
    json = response.body.trim() === "" ? undefined : JSON.parse(response.body);
  } catch {
    json = undefined;
  }
  const hasResults = typeof json === "object" && json !== null && !Array.isArray(json) && "results" in json;
  if (!hasResults) {
    if (response.truncated) return failAll("webhook response was too large to read");
    return Array.from({ length: count }, () => ({ status: "ok" }));
  }
  const parsed = WebhookResponseSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const n = Array.isArray((json as { results?: unknown }).results) ? (json as { results: unknown[] }).results.length : 0;
    return failAll(
      `webhook returned ${n} invalid results for ${count} records (${issue?.path.join(".") || "results"}: ${issue?.message})`,
    );
  }
  const { results } = parsed.data;
  if (results.length !== count) return failAll(`webhook returned ${results.length} results for ${count} records`);
  return results.map((r): RecordResult => {
    if (r.status === "ok") return { status: "ok" };
    if (r.status === "rejected") return { status: "rejected", reason: r.reason || "rejected by the webhook" };
    return { status: "failed", reason: r.reason || "the webhook asked to retry this record" };
  });
}

/** Request headers, and the same with every secret value masked (for the run's debugger). */
function buildHeaders(
  config: WebhookConfig,
  body: string,
): { headers: Record<string, string>; recorded: Record<string, string> } {
  const headers: Record<string, string> = {};
  const recorded: Record<string, string> = {};
  const ours = new Set(["content-type", "content-length", "user-agent", WEBHOOK_SIGNATURE_HEADER.toLowerCase(), "host"]);
  for (const [name, value] of Object.entries(config.headers ?? {})) {
    if (ours.has(name.toLowerCase())) continue;
    headers[name] = value;
    recorded[name] = MASK;
  }
  headers["content-type"] = recorded["content-type"] = "application/json";
  headers["user-agent"] = recorded["user-agent"] = USER_AGENT;
  if (config.signingSecret) {
    headers[WEBHOOK_SIGNATURE_HEADER] = signWebhookBody(body, config.signingSecret);
    recorded[WEBHOOK_SIGNATURE_HEADER] = MASK;
  }
  return { headers, recorded };
}

/** The URL without user:password (which would otherwise travel into run records and logs). */
function displayUrl(url: string, relativeOk = false): string {
  try {
    const u = new URL(url);
    u.username = "";
    u.password = "";
    return u.toString();
  } catch {
    return relativeOk ? url.slice(0, 200) : "(invalid URL)";
  }
}

function header(response: HttpResponse, name: string): string | undefined {
  const value = response.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function excerpt(body: string, prefix: string): string {
  const text = body.replace(/\s+/g, " ").trim();
  if (!text) return "";
  return prefix + (text.length > REASON_EXCERPT_CHARS ? `${text.slice(0, REASON_EXCERPT_CHARS)}…` : text);
}
