// Reading HubSpot's answers. Every error body follows one documented shape (status, message, category,
// correlationId, errors[], context) whose fields are all optional; batch answers add results[] and
// errors[] (207 multi-status), where each error names its inputs in `context` — `objectWriteTraceId`
// (documented for multi-status), or `ids` (batch read). Statuses every endpoint shares are classified
// here; deliver.ts adds what is specific to each batch endpoint.
import { z } from "zod";
import type { RecordVerdict } from "../../kit/contract";
import { FatalDestinationError } from "../../kit/delivery";
import type { HttpResponse } from "../../kit/http";
import { bodyExcerpt, headerValue } from "../../kit/http-destination";
import { parseRetryAfter } from "../../kit/retry";
import { HUBSPOT_RATE_WINDOW_MS, scopesFor } from "./contract";

const Context = z.record(z.string(), z.unknown());
const ErrorDetail = z.looseObject({
  message: z.string().optional(),
  code: z.string().optional(),
  in: z.string().optional(),
  context: z.unknown().optional(),
});

export const HubSpotErrorSchema = z.looseObject({
  status: z.string().optional(),
  id: z.string().optional(),
  message: z.string().optional(),
  category: z.string().optional(),
  subCategory: z.unknown().optional(),
  correlationId: z.string().optional(),
  context: Context.optional(),
  errors: z.array(ErrorDetail).optional(),
  policyName: z.string().optional(),
  errorType: z.string().optional(),
});
export type HubSpotError = z.infer<typeof HubSpotErrorSchema>;

export const BatchResponseSchema = z.looseObject({
  status: z.string().optional(),
  results: z
    .array(
      z.looseObject({
        id: z.string().optional(),
        properties: z.record(z.string(), z.string().nullable()).optional(),
        objectWriteTraceId: z.string().optional(),
      }),
    )
    .optional(),
  errors: z.array(HubSpotErrorSchema).optional(),
  numErrors: z.number().optional(),
});
export type BatchResponse = z.infer<typeof BatchResponseSchema>;

/** The body as a HubSpot error, or undefined when it is not JSON of that shape. */
export function parseError(body: string): HubSpotError | undefined {
  const json = parseJson(body);
  const parsed = HubSpotErrorSchema.safeParse(json);
  return parsed.success ? parsed.data : undefined;
}

export function parseJson(body: string): unknown {
  try {
    return body.trim() === "" ? undefined : JSON.parse(body);
  } catch {
    return undefined;
  }
}

/** String values under `key` in an error's context (HubSpot sends lists: `{"ids": ["a@x.io"]}`). */
export function contextValues(error: HubSpotError, key: string): string[] {
  const found: string[] = [];
  const collect = (context: unknown) => {
    if (typeof context !== "object" || context === null || Array.isArray(context)) return;
    const value = (context as Record<string, unknown>)[key];
    if (typeof value === "string") found.push(value);
    else if (Array.isArray(value))
      for (const v of value) if (typeof v === "string" || typeof v === "number") found.push(String(v));
  };
  collect(error.context);
  for (const detail of error.errors ?? []) collect(detail.context);
  return found;
}

/**
 * HubSpot's message made readable: "Property values were not valid: [{…json…}]" becomes
 * "email: Email address x is invalid (INVALID_EMAIL)", details are appended, and the category named.
 */
export function describeError(error: HubSpotError | undefined, fallback: string): string {
  if (!error) return bodyExcerpt(fallback) || "no details";
  let text = error.message ?? "";
  const invalid = /^Property values were not valid: (\[.*\])$/s.exec(text);
  if (invalid?.[1]) {
    const items = parseJson(invalid[1]);
    if (Array.isArray(items)) {
      const parts = items.map((item) => {
        const i = item as { name?: unknown; message?: unknown; error?: unknown };
        return `${typeof i.name === "string" ? `${i.name}: ` : ""}${String(i.message ?? "invalid value")}${typeof i.error === "string" ? ` (${i.error})` : ""}`;
      });
      if (parts.length > 0) text = `property values were not valid — ${parts.join("; ")}`;
    }
  }
  const details = (error.errors ?? [])
    .map((d) => [d.in ? `${d.in}: ` : "", d.message ?? "", d.code ? ` (${d.code})` : ""].join(""))
    .filter((d) => d.trim() !== "" && !text.includes(d));
  if (details.length > 0) text = text ? `${text} — ${details.join("; ")}` : details.join("; ");
  if (!text) text = bodyExcerpt(fallback) || "no details";
  return error.category ? `${text} [${error.category}]` : text;
}

export interface CallContext {
  object: string;
  method: string;
  url: string;
}

/** The scopes a sync to `object` needs, for messages. */
export function neededScopes(object: string): string {
  const s = scopesFor(object);
  return `${s.write}, ${s.read} and ${s.schema}`;
}

/**
 * Statuses every HubSpot endpoint shares. Returns the verdict for the whole request, undefined when the
 * endpoint's own classification must decide (2xx, 400, 409…), or throws FatalDestinationError.
 */
export function classifyShared(response: HttpResponse, call: CallContext): RecordVerdict | undefined {
  const { status } = response;
  if (status === 401) {
    const error = parseError(response.body);
    throw new FatalDestinationError(
      `HubSpot did not accept the access token (HTTP 401: ${describeError(error, response.body)}). Check the private app access token in this destination's settings — it may have been rotated, or the app deleted — and that the app has the scopes ${neededScopes(call.object)}`,
    );
  }
  if (status === 403) {
    const error = parseError(response.body);
    const missing = error
      ? [...new Set(contextValues(error, "requiredGranularScopes").concat(contextValues(error, "requiredScopes")))]
      : [];
    throw new FatalDestinationError(
      `HubSpot refused the request (HTTP 403: ${describeError(error, response.body)}). The private app lacks a scope this call needs${missing.length > 0 ? ` (${missing.join(", ")})` : ""}: in HubSpot open Settings → Integrations → Private Apps → your app → Scopes, grant ${neededScopes(call.object)}, and check the access token here is that app's`,
    );
  }
  if (status === 404) {
    throw new FatalDestinationError(
      `HubSpot answered 404 Not Found to ${call.method} ${call.url}: check the destination's baseUrl (normally https://api.hubapi.com) — ${describeError(parseError(response.body), response.body)}`,
    );
  }
  if (status === 423) {
    // Documented: records are locked for 2 seconds after a burst of writes to them; wait at least that long.
    return { status: "rate_limited", reason: `HubSpot locked the records for a moment (HTTP 423)`, retryAfterMs: 2_000 };
  }
  if (status === 429) {
    const wait = rateLimitWait(response);
    return { status: "rate_limited", reason: wait.reason, retryAfterMs: wait.ms };
  }
  if (status === 477) {
    // Documented: the account is moving between data centres; Retry-After says when to come back.
    const ms = parseRetryAfter(headerValue(response, "retry-after")) ?? 60_000;
    return {
      status: "rate_limited",
      reason: "HubSpot is migrating this account between data centres (HTTP 477)",
      retryAfterMs: ms,
    };
  }
  if (status === 408 || status >= 500) {
    return {
      status: "retryable",
      reason: `HubSpot server error (HTTP ${status})${excerpt(describeError(parseError(response.body), response.body))}`,
    };
  }
  return undefined;
}

function excerpt(text: string): string {
  return text && text !== "no details" ? `: ${text}` : "";
}

/** Longest wait for the daily limit: past the kit's patience, so the records are left for the next run. */
export const DAILY_LIMIT_WAIT_MS = 60 * 60_000;

/**
 * How long to wait after a 429. Retry-After when HubSpot sends one (capped at one window: a rolling
 * ten-second limit never needs longer); else the documented X-HubSpot-RateLimit-* headers — a full window
 * when none is left, one request's share of it otherwise; else the documented 10-second window.
 * The daily limit resets only at midnight in the account's time zone, so that wait is long.
 */
export function rateLimitWait(response: HttpResponse, now: number = Date.now()): { ms: number; reason: string } {
  const error = parseError(response.body);
  const policy = error?.policyName;
  const what = `HubSpot rate limit reached (HTTP 429${policy ? `, policy ${policy}` : ""})${error?.message ? `: ${error.message}` : ""}`;
  if (policy === "DAILY") {
    return { ms: DAILY_LIMIT_WAIT_MS, reason: `${what} — the daily limit resets at midnight in the account's time zone` };
  }
  const interval = headerNumber(response, "x-hubspot-ratelimit-interval-milliseconds");
  const max = headerNumber(response, "x-hubspot-ratelimit-max");
  const remaining = headerNumber(response, "x-hubspot-ratelimit-remaining");
  const retryAfter = parseRetryAfter(headerValue(response, "retry-after"), now);
  if (retryAfter !== undefined) return { ms: Math.min(retryAfter, interval ?? Number.POSITIVE_INFINITY), reason: what };
  if (interval !== undefined) {
    if (remaining !== undefined && remaining > 0) return { ms: Math.max(250, Math.ceil(interval / (max ?? 100))), reason: what };
    return { ms: interval, reason: what };
  }
  return { ms: HUBSPOT_RATE_WINDOW_MS, reason: what };
}

function headerNumber(response: HttpResponse, name: string): number | undefined {
  const value = headerValue(response, name);
  if (value === undefined || !/^\d+$/.test(value.trim())) return undefined;
  return Number(value);
}
