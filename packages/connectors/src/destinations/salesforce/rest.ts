// Salesforce REST plumbing shared by the collections, bulk, describe and test-connection code: the data
// API's URLs, its documented error body ([{message, errorCode, fields}]) and, for calls made outside the
// kit's request runner, one authenticated request with the session renewed once on INVALID_SESSION_ID,
// transient failures retried, and the exchange recorded with the token masked.
import { z } from "zod";
import { type Exchange, FatalDestinationError, truncateForRecord } from "../../kit/delivery";
import {
  DEFAULT_CONNECT_TIMEOUT_MS,
  DEFAULT_RESPONSE_TIMEOUT_MS,
  describeHttpError,
  findPrivateAddressError,
  type HttpResponse,
  httpRequest,
} from "../../kit/http";
import { bodyExcerpt, headerValue, SECRET_MASK } from "../../kit/http-destination";
import { DEFAULT_RETRY_POLICY, parseRetryAfter, withRetry } from "../../kit/retry";
import { InMemoryRateBudget, type RateBudget } from "../../kit/throttle";
import type { CallOptions, SalesforceSession, SessionToken } from "./auth";
import type { SalesforceConfig } from "./config";
import { salesforceContract } from "./contract";

export const SalesforceErrorSchema = z.object({
  message: z.string().catch(""),
  errorCode: z.string().catch("UNKNOWN_ERROR"),
  fields: z.array(z.string()).optional().catch(undefined),
});
export type SalesforceError = z.infer<typeof SalesforceErrorSchema>;

/** The REST API's error body, or undefined when the body is something else. */
export function parseErrors(body: string): SalesforceError[] | undefined {
  try {
    const json: unknown = JSON.parse(body);
    const parsed = z.array(SalesforceErrorSchema).safeParse(Array.isArray(json) ? json : [json]);
    return parsed.success && parsed.data.length > 0 && parsed.data.some((e) => e.errorCode !== "UNKNOWN_ERROR")
      ? parsed.data
      : undefined;
  } catch {
    return undefined;
  }
}

/** "CODE: message (fields: A, B)" for each error, joined. */
export function describeErrors(
  errors: readonly { errorCode?: string; statusCode?: string; message: string; fields?: string[] }[],
) {
  return errors
    .map((e) => {
      const fields = e.fields?.length ? ` (fields: ${e.fields.join(", ")})` : "";
      return `${e.statusCode ?? e.errorCode ?? "ERROR"}: ${e.message.trim()}${fields}`;
    })
    .join("; ");
}

/** {instance}/services/data/v{version}/{path} */
export function dataUrl(token: SessionToken, config: SalesforceConfig, path: string): string {
  return `${token.instanceUrl}/services/data/v${config.apiVersion}/${path.replace(/^\//, "")}`;
}

/** Whole-request error codes that say the settings or the mapping are wrong: retrying cannot help. */
const CONFIG_ERRORS: Record<string, string> = {
  INVALID_TYPE: "check the object exists in the org and the user can see it",
  INVALID_FIELD: "fix the sync's mapping or the external ID field setting, or create the field in Salesforce",
  NOT_FOUND: "check apiVersion and that the resource exists in the org",
  API_DISABLED_FOR_ORG: "the org's edition must include API access",
  API_CURRENTLY_DISABLED: "an admin must give the user the API Enabled permission",
  INSUFFICIENT_ACCESS: "give the user create/edit/delete access to the object and its fields",
  INSUFFICIENT_ACCESS_OR_READONLY: "give the user create/edit/delete access to the object and its fields",
  FUNCTIONALITY_NOT_ENABLED: "the feature is not enabled in this org",
  INVALID_OPERATION_WITH_EXPIRED_PASSWORD: "the user's password has expired; reset it",
};

/** The fix for an error body that makes every request fail, or undefined when it is about the records. */
export function configProblem(status: number, errors: SalesforceError[] | undefined): string | undefined {
  const externalId = errors?.find((e) => /external id/i.test(e.message));
  if (externalId && (status === 404 || status === 400)) {
    return `${describeErrors([externalId])} — set externalIdFields to a field of the object that is marked External ID`;
  }
  const known = errors?.find((e) => Object.hasOwn(CONFIG_ERRORS, e.errorCode));
  if (known) return `${describeErrors([known])} — ${CONFIG_ERRORS[known.errorCode]}`;
  if (status === 404) return `${errors ? describeErrors(errors) : "HTTP 404"} — check apiVersion and the object name`;
  if (status === 403 && !errors?.some((e) => e.errorCode === "REQUEST_LIMIT_EXCEEDED")) {
    return `${errors ? describeErrors(errors) : "HTTP 403"} — give the user API Enabled and access to the object`;
  }
  return undefined;
}

export function isRequestLimit(errors: SalesforceError[] | undefined): boolean {
  return errors?.some((e) => e.errorCode === "REQUEST_LIMIT_EXCEEDED") ?? false;
}

/** Salesforce sends no Retry-After with REQUEST_LIMIT_EXCEEDED: wait longer each time, up to a minute. */
export function limitWaitMs(baseMs: number, hits: number, header: string | undefined): number {
  return parseRetryAfter(header) ?? Math.min(60_000, Math.max(1, baseMs) * 2 ** Math.min(16, hits + 1));
}

/** A call that could not be completed now (server errors, the org's request limit): retried next run. */
export class SalesforceUnavailable extends Error {
  override name = "SalesforceUnavailable";
}

export interface ApiCall {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** Relative to /services/data/vXX.X/. */
  path: string;
  body?: string;
  contentType?: string;
  accept?: string;
  maxResponseBytes?: number;
}

/** Budget of the non-kit calls when the caller passes none (the kit keeps its own for collections). */
const localBudget = new InMemoryRateBudget();

export interface ApiOptions extends CallOptions {
  budget?: RateBudget;
  /** The account whose rate budget calls draw from. */
  account: string;
  /** Receives every exchange (token masked). */
  record?: (exchange: Exchange) => void;
}

/** Authenticated calls outside the kit's request runner (describe, Bulk API 2.0). */
export class SalesforceApi {
  requests = 0;

  constructor(
    readonly session: SalesforceSession,
    readonly config: SalesforceConfig,
    private readonly o: ApiOptions,
  ) {}

  /**
   * Sends `call`; a 401 renews the session once and re-sends; network errors, 5xx and REQUEST_LIMIT_EXCEEDED
   * are retried under the retry policy, then throw SalesforceUnavailable. Other statuses are returned.
   */
  async request(call: ApiCall): Promise<HttpResponse> {
    const policy = this.o.retry ?? DEFAULT_RETRY_POLICY;
    let limitHits = 0;
    const result = await withRetry<HttpResponse>(
      policy,
      async () => {
        for (;;) {
          const token = this.session.current;
          const response = await this.send(call, token);
          if (response.kind === "error") return { kind: "retry", reason: response.reason };
          const r = response.response;
          if (r.status === 401) {
            await this.session.renew(token.accessToken);
            continue;
          }
          const errors = r.status >= 400 ? parseErrors(r.body) : undefined;
          if (isRequestLimit(errors) || r.status === 429) {
            const wait = limitWaitMs(policy.baseMs, limitHits++, headerValue(r, "retry-after"));
            return {
              kind: "retry",
              reason: `Salesforce API request limit exceeded: ${describeErrors(errors ?? [])}`,
              retryAfterMs: wait,
            };
          }
          if (r.status >= 500) {
            return { kind: "retry", reason: `Salesforce server error (HTTP ${r.status}): ${bodyExcerpt(r.body)}` };
          }
          return { kind: "done", value: r };
        }
      },
      this.o.signal,
    );
    if (result.kind === "exhausted") throw new SalesforceUnavailable(result.reason);
    return result.value;
  }

  private async send(
    call: ApiCall,
    token: SessionToken,
  ): Promise<{ kind: "response"; response: HttpResponse } | { kind: "error"; reason: string }> {
    const url = dataUrl(token, this.config, call.path);
    const headers: Record<string, string> = {
      authorization: `Bearer ${token.accessToken}`,
      accept: call.accept ?? "application/json",
      ...(call.body !== undefined ? { "content-type": call.contentType ?? "application/json" } : {}),
    };
    await this.takeBudget();
    this.requests++;
    const started = performance.now();
    const timeouts = {
      connectTimeoutMs: this.o.timeouts?.connectMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
      responseTimeoutMs: this.o.timeouts?.responseMs ?? DEFAULT_RESPONSE_TIMEOUT_MS,
    };
    try {
      const response = await httpRequest({
        method: call.method,
        url,
        headers,
        ...(call.body !== undefined ? { body: call.body } : {}),
        allowPrivate: this.o.allowPrivate,
        ...timeouts,
        ...(call.maxResponseBytes ? { maxResponseBytes: call.maxResponseBytes } : {}),
        ...(this.o.signal ? { signal: this.o.signal } : {}),
      });
      this.record(call, url, headers, performance.now() - started, response);
      return { kind: "response", response };
    } catch (error) {
      const refused = findPrivateAddressError(error);
      if (refused) throw new FatalDestinationError(`the Salesforce instance's address is not allowed: ${refused.message}`);
      if (this.o.signal?.aborted) throw error;
      this.record(call, url, headers, performance.now() - started, undefined);
      return { kind: "error", reason: `request failed: ${describeHttpError(error, timeouts)}` };
    }
  }

  private record(call: ApiCall, url: string, headers: Record<string, string>, ms: number, response?: HttpResponse) {
    if (!this.o.record) return;
    this.o.record({
      request: {
        method: call.method,
        url,
        headers: { ...headers, authorization: SECRET_MASK },
        body: truncateForRecord(call.body ?? ""),
      },
      latencyMs: Math.round(ms),
      ...(response ? { response: { status: response.status, body: truncateForRecord(response.body) } } : {}),
    });
  }

  private async takeBudget(): Promise<void> {
    const limit = salesforceContract.rateLimit;
    if (limit) await (this.o.budget ?? localBudget).take(this.o.account, limit, this.o.signal);
  }
}
