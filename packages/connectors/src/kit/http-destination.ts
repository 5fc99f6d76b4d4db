// The delivery core every HTTP destination shares. A destination supplies its contract (typed data),
// how to build one request for a group of records, and how to classify a response per record; the kit
// does the rest once for everyone:
//   - groups records (e.g. upserts apart from deletes) and packs requests by record count and bytes;
//   - takes one unit of the account's rate budget per request, and keeps requests in flight under the
//     account's adaptive concurrency limit;
//   - retries `retryable` results with exponential backoff and full jitter, and `rate_limited` ones after
//     their Retry-After, for as long as the rate-limit patience allows (a 429 storm ends with delivery,
//     not with failed records);
//   - splits a request rejected as a whole into halves until the bad record(s) are isolated;
//   - records what was sent and received with secret headers masked.
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
import { backoffDelayMs, DEFAULT_RETRY_POLICY, sleep } from "./retry";
import { type AdaptiveConcurrency, concurrencyFor, InMemoryRateBudget, type RateBudget } from "./throttle";

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
  /** Header names whose values are masked wherever the request is recorded. */
  secretHeaders?: readonly string[];
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
  const base = { config, object, mode: batch.mode ?? "upsert", allowPrivate: options.allowPrivate, signal: options.signal };
  const session = def.authenticate ? await def.authenticate(base) : (undefined as S);
  const ctx: RequestContext<C, S> = { ...base, session };
  const account = `${def.slug}:${def.accountKey(config)}`;
  const budget: RateBudget = options.budget ?? sharedBudget;
  const limiter = options.concurrency?.(account, def.contract.rateLimit) ?? concurrencyFor(account, def.contract.rateLimit);
  const policy = options.retry ?? DEFAULT_RETRY_POLICY;
  const patienceMs = options.rateLimitPatienceMs ?? DEFAULT_RATE_LIMIT_PATIENCE_MS;
  const timeouts = {
    connectTimeoutMs: options.timeouts?.connectMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
    responseTimeoutMs: options.timeouts?.responseMs ?? DEFAULT_RESPONSE_TIMEOUT_MS,
  };

  const records = batch.records;
  const results: (RecordResult | undefined)[] = new Array(records.length);
  const exchanges: Exchange[] = [];
  let requests = 0;
  let throttledMs = 0;
  let rateLimitedSince: number | undefined;

  // Group, check and pack.
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
      queue.push({ indexes: indexes.slice(i, i + max), group, attempts: 0, notBefore: 0 });
    }
  }

  const settle = (indexes: number[], verdicts: RecordVerdict[], task: Task) => {
    const retry: number[] = [];
    const limited: number[] = [];
    let retryAfterMs: number | undefined;
    let reason = "";
    indexes.forEach((index, k) => {
      const v = verdicts[k] ?? { status: "retryable", reason: "the destination gave no result for this record" };
      if (v.status === "ok") results[index] = { status: "ok" };
      else if (v.status === "rejected") results[index] = { status: "rejected", reason: v.reason };
      else if (v.status === "rate_limited") {
        limited.push(index);
        reason = v.reason;
        if (v.retryAfterMs !== undefined) retryAfterMs = Math.max(retryAfterMs ?? 0, v.retryAfterMs);
      } else {
        retry.push(index);
        reason = v.reason;
        results[index] = { status: "failed", reason: `${v.reason} (after ${task.attempts + 1} attempts)` };
      }
    });
    if (limited.length > 0) {
      const now = Date.now();
      rateLimitedSince ??= now;
      const wait = Math.max(retryAfterMs ?? 0, backoffDelayMs(policy, 1));
      if (now + wait - rateLimitedSince > patienceMs) {
        const seconds = Math.round(patienceMs / 1000);
        for (const index of limited) {
          results[index] = {
            status: "failed",
            reason: `${reason}; still rate limited after ${seconds} s, left for the next run`,
          };
        }
      } else {
        if (retryAfterMs !== undefined) void budget.block?.(account, now + retryAfterMs);
        queue.push({ indexes: limited, group: task.group, attempts: task.attempts, notBefore: now + wait });
      }
    }
    if (retry.length > 0 && task.attempts + 1 < policy.attempts) {
      const delay = backoffDelayMs(policy, task.attempts + 1);
      for (const index of retry) results[index] = undefined;
      queue.push({ indexes: retry, group: task.group, attempts: task.attempts + 1, notBefore: Date.now() + delay });
    }
  };

  const runTask = async (task: Task): Promise<void> => {
    const taskRecords = task.indexes.map((i) => records[i] as DeliveryRecord);
    const call = def.buildRequest(taskRecords, task.group, ctx);
    const maxBytes = def.contract.batch.maxBytes;
    if (maxBytes !== undefined && call.body !== undefined && Buffer.byteLength(call.body) > maxBytes) {
      if (task.indexes.length > 1) {
        const half = Math.ceil(task.indexes.length / 2);
        queue.push({ ...task, indexes: task.indexes.slice(0, half) }, { ...task, indexes: task.indexes.slice(half) });
        return;
      }
      const index = task.indexes[0] as number;
      results[index] = {
        status: "rejected",
        reason: `the record makes a ${Buffer.byteLength(call.body)}-byte request, over the destination's ${maxBytes}-byte limit`,
      };
      return;
    }
    const waitStart = performance.now();
    await budget.take(account, def.contract.rateLimit ?? { requests: 1_000_000, perMs: 1_000 }, options.signal);
    await limiter.acquire(options.signal);
    throttledMs += performance.now() - waitStart;
    requests++;
    const sentAt = performance.now();
    let response: HttpResponse | undefined;
    let verdict: ResponseVerdict;
    const abort = delayedAbortSignal(options.signal, ABORT_GRACE_MS);
    try {
      response = await httpRequest({
        method: call.method,
        url: call.url,
        headers: call.headers,
        ...(call.body !== undefined ? { body: call.body } : {}),
        allowPrivate: options.allowPrivate,
        ...timeouts,
        ...(abort.signal ? { signal: abort.signal } : {}),
      });
    } catch (error) {
      limiter.release({ kind: "error" });
      abort.dispose();
      const refused = findPrivateAddressError(error);
      if (refused) throw new FatalDestinationError(`the destination's address is not allowed: ${refused.message}`);
      if (options.signal?.aborted) throw error;
      record(exchanges, call, undefined, performance.now() - sentAt);
      settle(
        task.indexes,
        task.indexes.map(() => ({ status: "retryable", reason: `request failed: ${describeHttpError(error, timeouts)}` })),
        task,
      );
      return;
    }
    abort.dispose();
    const latencyMs = performance.now() - sentAt;
    record(exchanges, call, response, latencyMs);
    try {
      verdict = def.classify(response, taskRecords, task.group, ctx);
    } catch (error) {
      limiter.release({ kind: "error" });
      throw error;
    }
    const throttled =
      verdict.kind === "request"
        ? verdict.verdict.status === "rate_limited"
        : verdict.results.some((r) => r.status === "rate_limited");
    limiter.release(throttled ? { kind: "throttled" } : { kind: "ok", latencyMs });
    if (!throttled) rateLimitedSince = undefined;
    if (verdict.kind === "records") {
      settle(task.indexes, verdict.results, task);
      return;
    }
    const v = verdict.verdict;
    if (v.status === "rejected" && verdict.split !== false && task.indexes.length > 1) {
      const half = Math.ceil(task.indexes.length / 2);
      queue.push({ ...task, indexes: task.indexes.slice(0, half) }, { ...task, indexes: task.indexes.slice(half) });
      return;
    }
    settle(
      task.indexes,
      task.indexes.map(() => v),
      task,
    );
  };

  await drain(queue, limiter, runTask, options.signal, (ms) => {
    throttledMs += ms;
  });

  const final: RecordResult[] = records.map(
    (_, i) => results[i] ?? { status: "failed", reason: "the record was not delivered (no final answer)" },
  );
  const last = exchanges[exchanges.length - 1];
  return {
    results: final,
    attempts: requests,
    latencyMs: Math.round(performance.now() - started),
    throttledMs: Math.round(throttledMs),
    request: last?.request ?? { method: "POST", url: "", headers: {}, body: "" },
    ...(last?.response ? { response: last.response } : {}),
    exchanges,
  };
}

/**
 * Runs queued tasks, as many at once as the concurrency limiter allows (it is acquired inside the task,
 * after the rate budget, so this loop only bounds the number of tasks started). Tasks may queue more.
 */
async function drain(
  queue: Task[],
  limiter: AdaptiveConcurrency,
  runTask: (task: Task) => Promise<void>,
  signal: AbortSignal | undefined,
  onWait: (ms: number) => void,
): Promise<void> {
  const running = new Set<Promise<void>>();
  let failure: unknown;
  for (;;) {
    if (failure !== undefined) break;
    const now = Date.now();
    queue.sort((a, b) => a.notBefore - b.notBefore);
    const next = queue[0];
    if (!next) {
      if (running.size === 0) break;
      await Promise.race(running);
      continue;
    }
    if (next.notBefore > now) {
      const wait = next.notBefore - now;
      if (running.size > 0) await Promise.race([...running, sleep(wait, signal)]);
      else {
        await sleep(wait, signal);
        onWait(wait);
      }
      continue;
    }
    if (running.size >= limiter.max) {
      await Promise.race(running);
      continue;
    }
    queue.shift();
    const p: Promise<void> = runTask(next)
      .catch((error: unknown) => {
        failure ??= error ?? new Error("delivery failed");
      })
      .finally(() => running.delete(p));
    running.add(p);
  }
  await Promise.allSettled(running);
  if (failure !== undefined) throw failure;
}

function record(exchanges: Exchange[], call: HttpCall, response: HttpResponse | undefined, latencyMs: number): void {
  const secret = new Set((call.secretHeaders ?? []).map((h) => h.toLowerCase()));
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(call.headers)) {
    headers[name] = secret.has(name.toLowerCase()) || name.toLowerCase() === "authorization" ? SECRET_MASK : value;
  }
  const exchange: Exchange = {
    request: { method: call.method, url: call.url, headers, body: truncateForRecord(call.body ?? "") },
    latencyMs: Math.round(latencyMs),
    ...(response ? { response: { status: response.status, body: truncateForRecord(response.body) } } : {}),
  };
  exchanges.push(exchange);
  if (exchanges.length > RECORDED_EXCHANGES) exchanges.shift();
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
