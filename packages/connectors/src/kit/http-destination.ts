// The delivery core every HTTP destination shares. A destination supplies its contract (typed data),
// how to build one request for a group of records, and how to classify a response per record; the kit
// does the rest once for everyone:
//   - groups records (e.g. upserts apart from deletes) and packs requests by record count and bytes;
//   - takes one unit of the account's rate budget per request, and keeps requests in flight under the
//     account's adaptive concurrency limit;
//   - retries `retryable` results with exponential backoff and full jitter (policy.attempts in all), and
//     `rate_limited` ones after their Retry-After without spending attempts, for as long as the rate-limit
//     patience allows (a short 429 storm ends with delivery; a longer one, or a Retry-After beyond the
//     patience, leaves the records `failed`, to be sent by the next run; policy.maxRetryAfterMs does not
//     apply here);
//   - splits a request rejected as a whole into halves until the bad record(s) are isolated;
//   - records what was sent and received with secret headers masked;
//   - stops at a FatalDestinationError or an abort: nothing new starts, requests in flight get a grace
//     period, and deliver() rejects with that error.

import { promisify } from "node:util";
import { gzip } from "node:zlib";
import type { SyncMode } from "@sluice/contracts/sync-config";
import {
  type DestinationContract,
  type DestinationObject,
  findObject,
  type RecordVerdict,
  type ResponseVerdict,
} from "./contract";
import {
  type BatchOutcome,
  type DeliverOptions,
  type DeliveryBatch,
  type DeliveryRecord,
  type DestinationDriver,
  type Exchange,
  FatalDestinationError,
  type RecordResult,
  truncateForRecord,
} from "./delivery";
import {
  DEFAULT_CONNECT_TIMEOUT_MS,
  DEFAULT_RESPONSE_TIMEOUT_MS,
  delayedAbortSignal,
  describeHttpError,
  findPrivateAddressError,
  type HttpResponse,
  httpRequest,
} from "./http";
import { abortError, backoffDelayMs, DEFAULT_RETRY_POLICY } from "./retry";
import { concurrencyFor, InMemoryRateBudget, type RateBudget } from "./throttle";

const gzipAsync = promisify(gzip);

export const SECRET_MASK = "••••••••";
/** How long a request in flight may still run once the caller's signal aborts (worker draining). */
export const ABORT_GRACE_MS = 5_000;
/** How long one deliver() call keeps waiting out 429s before the records are left for the next run. */
export const DEFAULT_RATE_LIMIT_PATIENCE_MS = 10 * 60_000;
/** Exchanges kept per BatchOutcome for the debugger and test-one-row. */
const RECORDED_EXCHANGES = 20;

export interface HttpCall {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  url: string;
  headers: Record<string, string>;
  body?: string;
  /** Header names whose values are masked wherever the request is recorded (Authorization always is). */
  secretHeaders?: readonly string[];
  /**
   * Send the body gzip-compressed (Content-Encoding: gzip), for APIs that document accepting it. Batch byte
   * limits still apply to the uncompressed body, and the recorded request shows it uncompressed.
   */
  gzip?: boolean;
  /** Secret values sent elsewhere (an API key in the query string or body): masked in the recorded URL and bodies. */
  secrets?: readonly string[];
}

export interface RequestContext<C, S = undefined> {
  config: C;
  /** The object the sync writes; the contract's only object when it has one. */
  object: DestinationObject;
  mode: SyncMode;
  /** What `authenticate` returned (e.g. an OAuth access token and instance URL). */
  session: S;
  allowPrivate: boolean;
  signal?: AbortSignal;
  /** The engine's batch this request is part of: its ids and how many records it holds. */
  batch: { syncId: string; runId: string; batchId: string; size: number };
}

export interface HttpDestination<C, S = undefined> {
  slug: string;
  contract: DestinationContract;
  /**
   * The account whose rate budget a config draws from, e.g. "hubspot:portal-123" or a hash of the API key.
   * Never the secret itself: the key is stored and logged.
   */
  accountKey(config: C): string;
  /** Records read from the warehouse per deliver() call (several requests' worth lets them run in parallel). */
  pageSize?(config: C): number;
  /** Called once per deliver() before any request (OAuth token exchange, say). May throw FatalDestinationError. */
  authenticate?(ctx: Omit<RequestContext<C, undefined>, "session">): Promise<S>;
  /** Records that may share one request; records of different groups never do. Default: by op. */
  group?(record: DeliveryRecord, ctx: RequestContext<C, S>): string;
  /** Most records in one request of this group (default: the contract's batch.maxRecords). */
  maxRecords?(group: string, ctx: RequestContext<C, S>): number;
  /** A record this destination cannot take at all (e.g. no identifier): rejected before any request. */
  check?(record: DeliveryRecord, ctx: RequestContext<C, S>): string | undefined;
  buildRequest(records: DeliveryRecord[], group: string, ctx: RequestContext<C, S>): HttpCall;
  /** Throws FatalDestinationError when the request can never work (credentials refused, object missing). */
  classify(response: HttpResponse, records: DeliveryRecord[], group: string, ctx: RequestContext<C, S>): ResponseVerdict;
}

const sharedBudget = new InMemoryRateBudget();
/** Every delivered record's result: one shared object, not one per record. */
const OK: RecordResult = Object.freeze({ status: "ok" as const });

/** The engine-facing driver of an HTTP destination. */
export function httpDestinationDriver<C, S>(def: HttpDestination<C, S>): DestinationDriver<C> {
  return {
    maxBatchRecords: (config) => def.pageSize?.(config) ?? def.contract.batch.maxRecords,
    deliver: (config, batch, options) => deliverHttpBatch(def, config, batch, options),
  };
}

interface Task {
  /** Indexes into the batch's records. */
  indexes: number[];
  group: string;
  /** Attempts made at these records for retryable errors. */
  attempts: number;
  /** 429s in a row for these records (their backoff grows with it; they do not consume attempts). */
  limited: number;
  notBefore: number;
}

export async function deliverHttpBatch<C, S>(
  def: HttpDestination<C, S>,
  config: C,
  batch: DeliveryBatch,
  options: DeliverOptions,
): Promise<BatchOutcome> {
  const started = performance.now();
  const object = findObject(def.contract, batch.object);
  if (!object) {
    const known = def.contract.objects.map((o) => o.name).join(", ");
    throw new FatalDestinationError(`this destination has no object "${batch.object ?? ""}" (it writes: ${known})`);
  }
  const base = {
    config,
    object,
    mode: batch.mode ?? "upsert",
    allowPrivate: options.allowPrivate,
    signal: options.signal,
    batch: { syncId: batch.syncId, runId: batch.runId, batchId: batch.batchId, size: batch.records.length },
  };
  const session = def.authenticate ? await def.authenticate(base) : (undefined as S);
  const ctx: RequestContext<C, S> = { ...base, session };
  const account = `${def.slug}:${def.accountKey(config)}`;
  const budget: RateBudget = options.budget ?? sharedBudget;
  const limiter = options.concurrency?.(account, def.contract.rateLimit) ?? concurrencyFor(account, def.contract.rateLimit);
  // No documented limit: no budget to draw from (a shared budget costs a database round trip per request);
  // 429s still slow the account down through adaptive concurrency and Retry-After.
  const rateLimit = def.contract.rateLimit;
  const maxBytes = def.contract.batch.maxBytes;
  const policy = options.retry ?? DEFAULT_RETRY_POLICY;
  const patienceMs = options.rateLimitPatienceMs ?? DEFAULT_RATE_LIMIT_PATIENCE_MS;
  const timeouts = {
    connectTimeoutMs: options.timeouts?.connectMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
    responseTimeoutMs: options.timeouts?.responseMs ?? DEFAULT_RESPONSE_TIMEOUT_MS,
  };

  const records = batch.records;
  const results: (RecordResult | undefined)[] = new Array(records.length);
  const exchanges: Exchange[] = [];
  const throttled = new WaitClock();
  let requests = 0;
  let rateLimitedSince: number | undefined;
  // Aborts when the caller's signal does or when a fatal error ends the call: waits end, nothing new starts.
  const stop = new AbortController();
  const forwardAbort = () => stop.abort(options.signal?.reason);
  if (options.signal?.aborted) forwardAbort();
  else options.signal?.addEventListener("abort", forwardAbort, { once: true });

  // Group, check and pack by count; packing by bytes happens when a request is built (see runTask).
  const queue: Task[] = [];
  const groups = new Map<string, number[]>();
  records.forEach((record, i) => {
    const problem = def.check?.(record, ctx);
    if (problem) {
      results[i] = { status: "rejected", reason: problem };
      return;
    }
    const g = def.group?.(record, ctx) ?? record.op;
    const list = groups.get(g) ?? [];
    list.push(i);
    groups.set(g, list);
  });
  for (const [group, indexes] of groups) {
    const max = Math.max(1, def.maxRecords?.(group, ctx) ?? def.contract.batch.maxRecords);
    for (let i = 0; i < indexes.length; i += max) {
      queue.push({ indexes: indexes.slice(i, i + max), group, attempts: 0, limited: 0, notBefore: 0 });
    }
  }

  /** Splits a task in two at `at` (default: halves); both parts keep its attempts and schedule. */
  const split = (task: Task, at = Math.ceil(task.indexes.length / 2)) => {
    queue.push({ ...task, indexes: task.indexes.slice(0, at) }, { ...task, indexes: task.indexes.slice(at) });
  };

  /** Every record of `task` gets a final result, or goes back to the queue for a retry. */
  const settle = (task: Task, verdicts: RecordVerdict[]) => {
    const retry: number[] = [];
    const limited: number[] = [];
    let retryAfterMs: number | undefined;
    let limitedReason = "";
    task.indexes.forEach((index, k) => {
      const v = verdicts[k] ?? { status: "retryable", reason: "the destination gave no result for this record" };
      if (v.status === "ok") results[index] = OK;
      else if (v.status === "rejected") results[index] = { status: "rejected", reason: v.reason };
      else if (v.status === "failed") results[index] = { status: "failed", reason: v.reason };
      else if (v.status === "rate_limited") {
        limited.push(index);
        limitedReason = v.reason;
        if (v.retryAfterMs !== undefined) retryAfterMs = Math.max(retryAfterMs ?? 0, v.retryAfterMs);
      } else {
        retry.push(index);
        results[index] = { status: "failed", reason: `${v.reason} (after ${task.attempts + 1} attempts)` };
      }
    });
    if (limited.length > 0) {
      const now = Date.now();
      rateLimitedSince ??= now;
      const wait = Math.max(retryAfterMs ?? 0, backoffDelayMs(policy, task.limited + 1));
      if (now + wait - rateLimitedSince > patienceMs) {
        const seconds = Math.round(patienceMs / 100) / 10;
        for (const index of limited) {
          results[index] = {
            status: "failed",
            reason: `${limitedReason}; still rate limited after ${seconds} s, left for the next run`,
          };
        }
      } else {
        // Tell the budget too, so other syncs and workers on this account hold off as well.
        if (retryAfterMs !== undefined) void budget.block?.(account, now + retryAfterMs)?.catch(() => {});
        queue.push({
          indexes: limited,
          group: task.group,
          attempts: task.attempts,
          limited: task.limited + 1,
          notBefore: now + wait,
        });
      }
    }
    if (retry.length > 0 && task.attempts + 1 < policy.attempts) {
      for (const index of retry) results[index] = undefined;
      const notBefore = Date.now() + backoffDelayMs(policy, task.attempts + 1);
      queue.push({ indexes: retry, group: task.group, attempts: task.attempts + 1, limited: 0, notBefore });
    }
  };

  const runTask = async (task: Task): Promise<void> => {
    const taskRecords = task.indexes.map((i) => records[i] as DeliveryRecord);
    const count = task.indexes.length;
    let call: HttpCall;
    try {
      call = def.buildRequest(taskRecords, task.group, ctx);
    } catch (error) {
      if (error instanceof FatalDestinationError) throw error;
      // A value the request cannot carry (say, one JSON cannot encode): isolate the record(s) like a rejection.
      if (count > 1) return split(task);
      results[task.indexes[0] as number] = { status: "rejected", reason: `the request could not be built: ${messageOf(error)}` };
      return;
    }
    const bytes = call.body === undefined ? 0 : Buffer.byteLength(call.body);
    if (maxBytes !== undefined && bytes > maxBytes) {
      // Keep the share of records that should fit; the rest is packed again on its own.
      if (count > 1) return split(task, Math.min(count - 1, Math.max(1, Math.floor((count * maxBytes) / bytes))));
      results[task.indexes[0] as number] = {
        status: "rejected",
        reason: `the record makes a ${bytes}-byte request, over the destination's ${maxBytes}-byte limit`,
      };
      return;
    }

    throttled.begin();
    try {
      if (rateLimit) await budget.take(account, rateLimit, stop.signal);
      await limiter.acquire(stop.signal);
    } finally {
      throttled.end();
    }
    if (stop.signal.aborted) {
      limiter.release({ kind: "error" });
      throw abortError(stop.signal);
    }
    requests++;
    const sentAt = performance.now();
    let response: HttpResponse;
    const abort = delayedAbortSignal(stop.signal, ABORT_GRACE_MS);
    try {
      const compress = call.gzip === true && call.body !== undefined;
      response = await httpRequest({
        method: call.method,
        url: call.url,
        headers: compress ? { ...call.headers, "content-encoding": "gzip" } : call.headers,
        ...(call.body !== undefined ? { body: compress ? await gzipAsync(call.body as string) : call.body } : {}),
        allowPrivate: options.allowPrivate,
        ...timeouts,
        ...(abort.signal ? { signal: abort.signal } : {}),
      });
    } catch (error) {
      limiter.release({ kind: "error" });
      const refused = findPrivateAddressError(error);
      if (refused) throw new FatalDestinationError(`the destination's address is not allowed: ${refused.message}`);
      if (stop.signal.aborted) throw abortError(stop.signal);
      record(exchanges, call, undefined, performance.now() - sentAt);
      const text = describeHttpError(error, timeouts);
      const reason = text.startsWith("request failed") ? text : `request failed: ${text}`;
      return settle(
        task,
        task.indexes.map(() => ({ status: "retryable", reason })),
      );
    } finally {
      abort.dispose();
    }
    const latencyMs = performance.now() - sentAt;
    record(exchanges, call, response, latencyMs);
    let verdict: ResponseVerdict;
    try {
      verdict = def.classify(response, taskRecords, task.group, ctx);
    } catch (error) {
      if (error instanceof FatalDestinationError) {
        limiter.release({ kind: "error" });
        throw error;
      }
      // An answer the destination's code did not expect (an HTML error page from a proxy, say): transient.
      const reason = `unexpected response (HTTP ${response.status}: ${bodyExcerpt(response.body, 120)}): ${messageOf(error)}`;
      verdict = { kind: "request", verdict: { status: "retryable", reason } };
    }
    const statuses = verdict.kind === "request" ? [verdict.verdict.status] : verdict.results.map((r) => r.status);
    if (statuses.includes("rate_limited")) limiter.release({ kind: "throttled" });
    else if (statuses.length > 0 && statuses.every((s) => s === "retryable")) limiter.release({ kind: "error" });
    else limiter.release({ kind: "ok", latencyMs });
    if (!statuses.includes("rate_limited")) rateLimitedSince = undefined;

    if (verdict.kind === "records") return settle(task, verdict.results);
    const v = verdict.verdict;
    if (v.status === "rejected" && verdict.split !== false && count > 1) return split(task);
    settle(
      task,
      task.indexes.map(() => v),
    );
  };

  try {
    await drain(queue, limiter.max, runTask, stop, throttled);
  } catch (error) {
    // A caller that stops (a worker draining on SIGTERM) still gets the batch's results when the requests in
    // flight finished it: every record has its final answer, so the engine can checkpoint instead of
    // re-sending. Otherwise (records still queued or waiting for a retry) the call counts as not done.
    const callerStopped = options.signal?.aborted === true && stop.signal.reason === options.signal.reason;
    const complete = queue.length === 0 && records.every((_, i) => results[i] !== undefined);
    if (!(callerStopped && complete)) throw error;
  } finally {
    options.signal?.removeEventListener("abort", forwardAbort);
  }

  const final: RecordResult[] = records.map(
    (_, i) => results[i] ?? { status: "failed", reason: "the record was not delivered (no final answer)" },
  );
  const last = exchanges[exchanges.length - 1];
  return {
    results: final,
    attempts: requests,
    latencyMs: Math.round(performance.now() - started),
    throttledMs: Math.round(throttled.totalMs()),
    request: last?.request ?? { method: "POST", url: "", headers: {}, body: "" },
    ...(last?.response ? { response: last.response } : {}),
    exchanges,
  };
}

/**
 * Runs queued tasks until none is left, at most `maxTasks` at once (each then waits for the rate budget and
 * a concurrency slot). Tasks push retries and splits onto the queue before they end, so the loop looks at
 * the queue again whenever one ends, a retry falls due, or `stop` aborts. A task's error aborts `stop` with
 * it: nothing new starts, waiting tasks give up, and once running ones have ended the error is thrown.
 */
async function drain(
  queue: Task[],
  maxTasks: number,
  runTask: (task: Task) => Promise<void>,
  stop: AbortController,
  throttled: WaitClock,
): Promise<void> {
  const running = new Set<Promise<void>>();
  while (!stop.signal.aborted) {
    queue.sort((a, b) => a.notBefore - b.notBefore);
    const next = queue[0];
    if (!next) {
      if (running.size === 0) break;
      await nextEvent(running, undefined, stop.signal);
      continue;
    }
    const wait = next.notBefore - Date.now();
    if (wait > 0) {
      // Waiting out a 429 is back pressure; waiting out a retry's backoff is not.
      if (next.limited > 0) throttled.begin();
      await nextEvent(running, wait, stop.signal);
      if (next.limited > 0) throttled.end();
      continue;
    }
    if (running.size >= maxTasks) {
      await nextEvent(running, undefined, stop.signal);
      continue;
    }
    queue.shift();
    const p: Promise<void> = runTask(next)
      .catch((error: unknown) => {
        if (!stop.signal.aborted) stop.abort(error ?? new Error("delivery failed"));
      })
      .finally(() => running.delete(p));
    running.add(p);
  }
  await Promise.allSettled(running);
  if (stop.signal.aborted) throw abortError(stop.signal);
}

/** Resolves when a running task ends, `ms` pass, or `signal` aborts, whichever is first; leaves no timer behind. */
function nextEvent(running: Set<Promise<void>>, ms: number | undefined, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    if (ms !== undefined) timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
    for (const p of running) p.then(done, done);
  });
}

/** Wall time during which at least one wait was under way (concurrent waits overlap, so they are not summed). */
class WaitClock {
  private waiting = 0;
  private since = 0;
  private total = 0;

  begin(): void {
    if (this.waiting++ === 0) this.since = performance.now();
  }

  end(): void {
    if (--this.waiting === 0) this.total += performance.now() - this.since;
  }

  totalMs(): number {
    return this.total + (this.waiting > 0 ? performance.now() - this.since : 0);
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Headers masked in records whatever the definition says: they carry credentials by convention. */
const ALWAYS_SECRET_HEADERS = new Set(["authorization", "proxy-authorization", "cookie", "x-api-key"]);
/** Shorter secret values are not searched for in URLs and bodies (they would mask ordinary text). */
const MIN_MASKED_VALUE_CHARS = 6;

function record(exchanges: Exchange[], call: HttpCall, response: HttpResponse | undefined, latencyMs: number): void {
  const secretNames = new Set((call.secretHeaders ?? []).map((h) => h.toLowerCase()));
  const values = new Set(call.secrets ?? []);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(call.headers)) {
    const lower = name.toLowerCase();
    if (!secretNames.has(lower) && !ALWAYS_SECRET_HEADERS.has(lower)) {
      headers[name] = value;
      continue;
    }
    headers[name] = SECRET_MASK;
    values.add(value);
    // "Bearer <token>", "Basic <credentials>": the credential alone may be echoed elsewhere too.
    const credential = /^\S+\s+(\S+)$/.exec(value)?.[1];
    if (credential) values.add(credential);
  }
  const mask = (text: string) => maskValues(text, values);
  // Bodies are masked and cut when first read: most exchanges of a sync are never looked at, and copying
  // 64 KB of every request body would cost more than sending it.
  const requestBody = lazy(() => truncateForRecord(mask(call.body ?? "")));
  const exchange: Exchange = {
    request: {
      method: call.method,
      url: mask(call.url),
      headers,
      get body() {
        return requestBody();
      },
    },
    latencyMs: Math.round(latencyMs),
    ...(response ? { response: { status: response.status, body: truncateForRecord(mask(response.body)) } } : {}),
  };
  exchanges.push(exchange);
  if (exchanges.length > RECORDED_EXCHANGES) exchanges.shift();
}

/** `compute()` once, on the first call. */
function lazy(compute: () => string): () => string {
  let value: string | undefined;
  return () => {
    value ??= compute();
    return value;
  };
}

/** `text` with every occurrence of the secret values (and their URL-encoded forms) replaced by the mask. */
function maskValues(text: string, values: Set<string>): string {
  let out = text;
  const longestFirst = [...values].filter((v) => v.length >= MIN_MASKED_VALUE_CHARS).sort((a, b) => b.length - a.length);
  for (const value of longestFirst) {
    for (const form of new Set([value, encodeURIComponent(value)])) out = out.split(form).join(SECRET_MASK);
  }
  return out;
}

/** A response header's first value. */
export function headerValue(response: HttpResponse, name: string): string | undefined {
  const value = response.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/** At most `chars` of a body, whitespace collapsed, for reasons shown to users. */
export function bodyExcerpt(body: string, chars = 300): string {
  const text = body.replace(/\s+/g, " ").trim();
  return text.length > chars ? `${text.slice(0, chars)}…` : text;
}
