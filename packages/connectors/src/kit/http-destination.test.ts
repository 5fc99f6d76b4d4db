// The shared HTTP delivery core against a scripted destination: a small node:http server whose answers
// each test writes, and a tiny HttpDestination definition for it (JSON batches per op, per-record results,
// 400 for a bad record in the request, 429 with Retry-After, 401 for a bad token, 5xx for outages).
import http from "node:http";
import type net from "node:net";
import { SYNC_MODES } from "@sluice/contracts/sync-config";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { DestinationContract, RecordVerdict, ResponseVerdict } from "./contract";
import { type DeliverOptions, type DeliveryBatch, type DeliveryRecord, FatalDestinationError } from "./delivery";
import type { HttpResponse } from "./http";
import { deliverHttpBatch, type HttpDestination, headerValue, SECRET_MASK } from "./http-destination";
import { parseRetryAfter, type RetryPolicy } from "./retry";
import { AdaptiveConcurrency, InMemoryRateBudget } from "./throttle";

// ---- the scripted destination ----

interface Seen {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** Records of the request, when the body is one of ours. */
  records: { id: number; email: string }[];
  at: number;
  /** Requests in flight at the server when this one arrived, itself included. */
  concurrent: number;
}

interface Reply {
  status?: number;
  headers?: Record<string, string>;
  body?: unknown;
  delayMs?: number;
  /** Drop the connection without answering. */
  destroy?: boolean;
}

let seen: Seen[] = [];
let respond: (req: Seen) => Reply = () => ({});
let inFlight = 0;
let server: http.Server;
let base = "";

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c) => {
      body += c;
    });
    req.on("end", () => {
      inFlight++;
      // Counted out as soon as the answer is handed to the OS: before the client can have read it.
      let counted = true;
      const out = () => {
        if (counted) inFlight--;
        counted = false;
      };
      res.on("finish", out);
      res.on("close", out);
      let records: Seen["records"] = [];
      try {
        records = (JSON.parse(body) as { records: Seen["records"] }).records ?? [];
      } catch {}
      const s: Seen = { path: req.url ?? "", headers: req.headers, body, records, at: Date.now(), concurrent: inFlight };
      seen.push(s);
      const reply = respond(s);
      setTimeout(() => {
        if (reply.destroy) return void req.socket.destroy();
        const text = typeof reply.body === "string" ? reply.body : JSON.stringify(reply.body ?? {});
        res.writeHead(reply.status ?? 200, { "content-type": "application/json", ...reply.headers }).end(text);
      }, reply.delayMs ?? 0);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});
beforeEach(() => {
  seen = [];
  respond = () => ({});
});

interface TestConfig {
  url: string;
  token: string;
  /** Unique per test: the kit keeps one limiter per account in the process. */
  account: string;
}

let accounts = 0;
const config = (o: Partial<TestConfig> = {}): TestConfig => ({
  url: base,
  token: "tok-live-123456",
  account: `acct${++accounts}`,
  ...o,
});

/** The destination's documented answers: 200 {results?}, 400 {error, all?}, 401, 429 + Retry-After, 5xx. */
function classify(response: HttpResponse): ResponseVerdict {
  const { status } = response;
  if (status === 401) throw new FatalDestinationError("the API token was refused (HTTP 401): create a new token");
  if (status === 429) {
    const retryAfterMs = parseRetryAfter(headerValue(response, "retry-after"));
    return { kind: "request", verdict: { status: "rate_limited", reason: "rate limited (HTTP 429)", retryAfterMs } };
  }
  if (status >= 500) return { kind: "request", verdict: { status: "retryable", reason: `server error (HTTP ${status})` } };
  const json = JSON.parse(response.body) as {
    results?: { status: "ok" | "error" | "retry"; message?: string }[];
    error?: string;
    all?: boolean;
  };
  if (status === 400) {
    return { kind: "request", verdict: { status: "rejected", reason: `bad request: ${json.error}` }, split: !json.all };
  }
  if (!json.results) return { kind: "request", verdict: { status: "ok" } };
  return {
    kind: "records",
    results: json.results.map((r): RecordVerdict => {
      if (r.status === "ok") return { status: "ok" };
      if (r.status === "retry") return { status: "retryable", reason: r.message ?? "retry" };
      return { status: "rejected", reason: r.message ?? "error" };
    }),
  };
}

function destination(contract: Partial<DestinationContract> = {}, extra: Partial<HttpDestination<TestConfig>> = {}) {
  const def: HttpDestination<TestConfig> = {
    slug: "scripted",
    contract: {
      objects: [
        { name: "people", label: "People", modes: SYNC_MODES, fields: [{ name: "email", type: "string", identifier: true }] },
      ],
      batch: { maxRecords: 100 },
      idempotencyKeys: false,
      docs: [],
      ...contract,
    },
    accountKey: (c) => c.account,
    check: (record) => (record.op !== "delete" && !record.data?.email ? "the record has no email" : undefined),
    buildRequest: (records, group, ctx) => ({
      method: "POST",
      url: `${ctx.config.url}/batch/${group}`,
      headers: { authorization: `Bearer ${ctx.config.token}`, "content-type": "application/json" },
      body: JSON.stringify({ records: records.map((r) => ({ id: r.key.id, ...r.data })) }),
    }),
    classify,
    ...extra,
  };
  return def;
}

const record = (id: number, op: DeliveryRecord["op"] = "insert", data: Record<string, unknown> = {}): DeliveryRecord => ({
  op,
  key: { id },
  data: { email: `user${id}@example.com`, ...data },
  idempotencyKey: `k${id}`,
});
const batchOf = (records: DeliveryRecord[]): DeliveryBatch => ({ syncId: "s1", runId: "r1", batchId: "r1-1", records });
const range = (n: number, from = 1) => Array.from({ length: n }, (_, i) => from + i);

const FAST: RetryPolicy = { attempts: 3, baseMs: 1, capMs: 5 };
const options = (o: Partial<DeliverOptions> = {}): DeliverOptions => ({ allowPrivate: true, retry: FAST, ...o });

/** How often each record id reached the server in a request the server accepted. */
function acceptedIds(requests: Seen[], accepted: (s: Seen) => boolean = () => true): Map<number, number> {
  const counts = new Map<number, number>();
  for (const s of requests.filter(accepted)) for (const r of s.records) counts.set(r.id, (counts.get(r.id) ?? 0) + 1);
  return counts;
}

// ---- grouping and packing ----

describe("http destination: grouping and packing", () => {
  it("sends each op in its own requests and answers in the batch's record order", async () => {
    const records = [record(1), record(2, "update"), record(3, "delete"), record(4), record(5, "update")];
    const outcome = await deliverHttpBatch(destination(), config(), batchOf(records), options());
    const byPath = Object.fromEntries(seen.map((s) => [s.path, s.records.map((r) => r.id)]));
    expect(byPath).toEqual({ "/batch/insert": [1, 4], "/batch/update": [2, 5], "/batch/delete": [3] });
    expect(outcome.results).toEqual(records.map(() => ({ status: "ok" })));
    expect(outcome.attempts).toBe(3);
  });

  it("packs by count: 250 records with at most 100 per request make 3 requests", async () => {
    const outcome = await deliverHttpBatch(destination(), config(), batchOf(range(250).map((i) => record(i))), options());
    expect(seen.map((s) => s.records.length).sort((a, b) => b - a)).toEqual([100, 100, 50]);
    expect([...acceptedIds(seen).values()].every((n) => n === 1)).toBe(true);
    expect(acceptedIds(seen).size).toBe(250);
    expect(outcome.results.every((r) => r.status === "ok")).toBe(true);
  });

  it("packs by bytes: no request over maxBytes, every record once, close to the fewest requests", async () => {
    const maxBytes = 2_000;
    const records = range(60).map((i) => record(i, "insert", { note: "x".repeat(60 + (i % 7) * 10) }));
    const outcome = await deliverHttpBatch(
      destination({ batch: { maxRecords: 100, maxBytes } }),
      config(),
      batchOf(records),
      options(),
    );
    expect(outcome.results.every((r) => r.status === "ok")).toBe(true);
    for (const s of seen) expect(Buffer.byteLength(s.body)).toBeLessThanOrEqual(maxBytes);
    const ids = acceptedIds(seen);
    expect(ids.size).toBe(60);
    expect([...ids.values()].every((n) => n === 1)).toBe(true);
    const total = seen.reduce((sum, s) => sum + Buffer.byteLength(s.body), 0);
    const fewest = Math.ceil(total / maxBytes);
    expect(seen.length).toBeLessThanOrEqual(fewest + 3);
  });

  it("rejects a single record over maxBytes with the reason, and sends the others", async () => {
    const records = [record(1), record(2, "insert", { note: "y".repeat(3_000) }), record(3)];
    const outcome = await deliverHttpBatch(
      destination({ batch: { maxRecords: 100, maxBytes: 1_000 } }),
      config(),
      batchOf(records),
      options(),
    );
    expect(outcome.results[0]).toEqual({ status: "ok" });
    expect(outcome.results[1]).toEqual({
      status: "rejected",
      reason: expect.stringMatching(/^the record makes a \d+-byte request, over the destination's 1000-byte limit$/),
    });
    expect(outcome.results[2]).toEqual({ status: "ok" });
    expect([...acceptedIds(seen).keys()].sort()).toEqual([1, 3]);
  });

  it("rejects what check() refuses before any request, and isolates a record the request cannot encode", async () => {
    const records = [record(1), { ...record(2), data: { name: "no email" } }, record(3, "insert", { big: 10n }), record(4)];
    const outcome = await deliverHttpBatch(destination(), config(), batchOf(records), options());
    expect(outcome.results).toEqual([
      { status: "ok" },
      { status: "rejected", reason: "the record has no email" },
      { status: "rejected", reason: expect.stringMatching(/^the request could not be built: .*BigInt/) },
      { status: "ok" },
    ]);
    expect([...acceptedIds(seen).keys()].sort()).toEqual([1, 4]);
  });
});

// ---- verdicts, splitting, retries ----

describe("http destination: verdicts", () => {
  it("maps per-record verdicts, retrying only the records the destination asked to retry", async () => {
    let round = 0;
    respond = (s) => {
      round++;
      return {
        body: {
          results: s.records.map((r) =>
            r.email.includes("bad")
              ? { status: "error", message: `email "${r.email}" is invalid` }
              : r.id === 3 && round === 1
                ? { status: "retry", message: "busy" }
                : { status: "ok" },
          ),
        },
      };
    };
    const records = [record(1), record(2, "insert", { email: "bad@" }), record(3), record(4)];
    const outcome = await deliverHttpBatch(destination(), config(), batchOf(records), options());
    expect(outcome.results).toEqual([
      { status: "ok" },
      { status: "rejected", reason: 'email "bad@" is invalid' },
      { status: "ok" },
      { status: "ok" },
    ]);
    expect(seen.map((s) => s.records.map((r) => r.id))).toEqual([[1, 2, 3, 4], [3]]);
  });

  it("treats a missing per-record answer as retryable, then failed with the reason", async () => {
    // Record 2's answer is always missing (the list is one short).
    respond = (s) => ({ body: { results: s.records.filter((r) => r.id !== 2).map(() => ({ status: "ok" })) } });
    const outcome = await deliverHttpBatch(destination(), config(), batchOf([record(1), record(2)]), options());
    expect(outcome.results).toEqual([
      { status: "ok" },
      { status: "failed", reason: "the destination gave no result for this record (after 3 attempts)" },
    ]);
  });

  it("splits a request rejected as a whole into halves: 1 bad record among 100 costs ~2·log2(100) requests", async () => {
    respond = (s) =>
      s.records.some((r) => r.id === 37) ? { status: 400, body: { error: "record 37: email is malformed" } } : {};
    const outcome = await deliverHttpBatch(destination(), config(), batchOf(range(100).map((i) => record(i))), options());
    expect(outcome.results[36]).toEqual({ status: "rejected", reason: "bad request: record 37: email is malformed" });
    expect(outcome.results.filter((r) => r.status === "ok")).toHaveLength(99);
    // 1 + 2 per halving (7 halvings from 100 to 1).
    expect(seen.length).toBeLessThanOrEqual(1 + 2 * Math.ceil(Math.log2(100)));
    const delivered = acceptedIds(seen, (s) => !s.records.some((r) => r.id === 37));
    expect(delivered.size).toBe(99);
    expect([...delivered.values()].every((n) => n === 1)).toBe(true);
  });

  it("rejects every record at once when the destination says the whole request is at fault (split: false)", async () => {
    respond = () => ({ status: 400, body: { error: "unknown object", all: true } });
    const outcome = await deliverHttpBatch(destination(), config(), batchOf(range(10).map((i) => record(i))), options());
    expect(seen).toHaveLength(1);
    expect(outcome.results).toEqual(range(10).map(() => ({ status: "rejected", reason: "bad request: unknown object" })));
  });

  it("retries retryable answers with backoff, then leaves the records failed with the reason after policy.attempts", async () => {
    respond = () => ({ status: 503 });
    const policy: RetryPolicy = { attempts: 3, baseMs: 60, capMs: 60, random: () => 0.99 };
    const outcome = await deliverHttpBatch(destination(), config(), batchOf([record(1), record(2)]), options({ retry: policy }));
    expect(seen).toHaveLength(3);
    expect(outcome.attempts).toBe(3);
    expect(outcome.results).toEqual(
      [1, 2].map(() => ({ status: "failed", reason: "server error (HTTP 503) (after 3 attempts)" })),
    );
    // Backoff: floor(0.99 · min(60, 60·2^(n-1))) = 59 ms before each retry.
    for (let i = 1; i < seen.length; i++) expect((seen[i] as Seen).at - (seen[i - 1] as Seen).at).toBeGreaterThanOrEqual(55);
    expect(outcome.response?.status).toBe(503);
  });

  it("delivers once an outage ends within the attempts", async () => {
    respond = () => (seen.length < 3 ? { status: 502 } : {});
    const outcome = await deliverHttpBatch(destination(), config(), batchOf([record(1)]), options());
    expect(outcome.results).toEqual([{ status: "ok" }]);
    expect(outcome.attempts).toBe(3);
  });

  it("treats an answer the definition cannot read as retryable", async () => {
    respond = () => ({ status: 200, body: "<html>proxy error</html>" });
    const outcome = await deliverHttpBatch(destination(), config(), batchOf([record(1)]), options());
    expect(outcome.results[0]).toEqual({
      status: "failed",
      reason: expect.stringMatching(/^unexpected response \(HTTP 200: <html>proxy error<\/html>\): .+ \(after 3 attempts\)$/),
    });
  });

  it("retries network errors: a dropped connection, then a refused one", async () => {
    respond = () => (seen.length === 1 ? { destroy: true } : {});
    const outcome = await deliverHttpBatch(destination(), config(), batchOf([record(1)]), options());
    expect(outcome.results).toEqual([{ status: "ok" }]);
    expect(outcome.exchanges?.[0]?.response).toBeUndefined();

    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as net.AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const refused = await deliverHttpBatch(
      destination(),
      config({ url: `http://127.0.0.1:${port}` }),
      batchOf([record(1)]),
      options(),
    );
    expect(refused.results).toEqual([{ status: "failed", reason: "request failed: connection refused (after 3 attempts)" }]);
    expect(refused.attempts).toBe(3);
  });
});

// ---- rate limits ----

describe("http destination: rate limits", () => {
  it("waits out Retry-After in seconds without spending attempts", async () => {
    respond = () => (seen.length === 1 ? { status: 429, headers: { "retry-after": "1" } } : {});
    const outcome = await deliverHttpBatch(
      destination(),
      config(),
      batchOf([record(1), record(2)]),
      options({ retry: { attempts: 1, baseMs: 1, capMs: 1 }, budget: new InMemoryRateBudget() }),
    );
    expect(outcome.results).toEqual([{ status: "ok" }, { status: "ok" }]);
    expect(seen).toHaveLength(2);
    expect((seen[1] as Seen).at - (seen[0] as Seen).at).toBeGreaterThanOrEqual(990);
    expect(outcome.throttledMs).toBeGreaterThanOrEqual(950);
    expect(outcome.throttledMs).toBeLessThanOrEqual(outcome.latencyMs);
  });

  it("waits until a Retry-After HTTP-date", async () => {
    let until = 0;
    respond = () => {
      if (seen.length > 1) return {};
      const date = new Date(Date.now() + 2_000).toUTCString(); // whole seconds: 1–2 s from now
      until = Date.parse(date);
      return { status: 429, headers: { "retry-after": date } };
    };
    const outcome = await deliverHttpBatch(
      destination(),
      config(),
      batchOf([record(1)]),
      options({ budget: new InMemoryRateBudget() }),
    );
    expect(outcome.results).toEqual([{ status: "ok" }]);
    expect((seen[1] as Seen).at).toBeGreaterThanOrEqual(until - 5);
  });

  it("keeps going through a 429 storm shorter than its patience, spending no attempts", async () => {
    respond = () => (seen.length <= 5 ? { status: 429, headers: { "retry-after": "0" } } : {});
    const outcome = await deliverHttpBatch(
      destination(),
      config(),
      batchOf([record(1)]),
      options({ retry: { attempts: 2, baseMs: 5, capMs: 20 }, rateLimitPatienceMs: 5_000 }),
    );
    expect(outcome.results).toEqual([{ status: "ok" }]);
    expect(outcome.attempts).toBe(6);
  });

  it("leaves records failed for the next run when a 429 storm outlasts its patience", async () => {
    respond = () => ({ status: 429, headers: { "retry-after": "0" } });
    const started = Date.now();
    const outcome = await deliverHttpBatch(
      destination(),
      config(),
      batchOf([record(1), record(2)]),
      options({ retry: { attempts: 2, baseMs: 20, capMs: 50 }, rateLimitPatienceMs: 300 }),
    );
    const elapsed = Date.now() - started;
    expect(outcome.results).toEqual(
      [1, 2].map(() => ({
        status: "failed",
        reason: "rate limited (HTTP 429); still rate limited after 0.3 s, left for the next run",
      })),
    );
    expect(seen.length).toBeGreaterThan(2);
    expect(elapsed).toBeGreaterThanOrEqual(200);
    expect(elapsed).toBeLessThan(2_000);
  });

  it("gives up at once on a Retry-After longer than its patience", async () => {
    respond = () => ({ status: 429, headers: { "retry-after": "3600" } });
    const started = Date.now();
    const outcome = await deliverHttpBatch(
      destination(),
      config(),
      batchOf([record(1)]),
      options({ rateLimitPatienceMs: 60_000 }),
    );
    expect(outcome.results[0]).toEqual({ status: "failed", reason: expect.stringMatching(/left for the next run$/) });
    expect(seen).toHaveLength(1);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it("paces requests by the contract's rate limit and reports the wait as throttledMs", async () => {
    const def = destination({ batch: { maxRecords: 1 }, rateLimit: { requests: 10, perMs: 500 } });
    const outcome = await deliverHttpBatch(
      def,
      config(),
      batchOf(range(8).map((i) => record(i))),
      options({ budget: new InMemoryRateBudget() }),
    );
    expect(outcome.results.every((r) => r.status === "ok")).toBe(true);
    const span = (seen[7] as Seen).at - (seen[0] as Seen).at;
    expect(span).toBeGreaterThanOrEqual(7 * 50 - 10);
    expect(outcome.throttledMs).toBeGreaterThanOrEqual(300);
    expect(outcome.throttledMs).toBeLessThanOrEqual(outcome.latencyMs);
  });
});

// ---- concurrency ----

describe("http destination: concurrency", () => {
  it("never has more requests in flight than the limiter allows, and uses what it allows", async () => {
    respond = () => ({ delayMs: 40 });
    const limiter = new AdaptiveConcurrency({ initial: 3, max: 3 });
    const def = destination({ batch: { maxRecords: 1 } });
    const outcome = await deliverHttpBatch(
      def,
      config(),
      batchOf(range(20).map((i) => record(i))),
      options({ concurrency: () => limiter }),
    );
    expect(outcome.results.every((r) => r.status === "ok")).toBe(true);
    expect(Math.max(...seen.map((s) => s.concurrent))).toBe(3);
  });

  it("follows the adaptive limit as it grows, up to its max", async () => {
    const limiter = new AdaptiveConcurrency({ initial: 1, max: 4, latencyFactor: 1_000 });
    const over: number[] = [];
    respond = (s) => {
      if (s.concurrent > limiter.limit) over.push(s.concurrent);
      return { delayMs: 20 };
    };
    const def = destination({ batch: { maxRecords: 1 } });
    await deliverHttpBatch(def, config(), batchOf(range(40).map((i) => record(i))), options({ concurrency: () => limiter }));
    expect(over).toEqual([]);
    expect(limiter.limit).toBe(4);
    expect(Math.max(...seen.map((s) => s.concurrent))).toBe(4);
  });

  it("halves the limit on 429s", async () => {
    const limiter = new AdaptiveConcurrency({ initial: 4, max: 4 });
    respond = () => (seen.length === 1 ? { status: 429, headers: { "retry-after": "0" } } : {});
    await deliverHttpBatch(destination(), config(), batchOf([record(1)]), options({ concurrency: () => limiter }));
    expect(limiter.limit).toBeLessThan(4);
    expect(limiter.active).toBe(0);
  });
});

// ---- fatal errors, aborts, secrets ----

describe("http destination: stopping", () => {
  it("propagates a FatalDestinationError from classify, and starts no further request", async () => {
    respond = () => ({ status: 401 });
    const def = destination({ batch: { maxRecords: 1 }, rateLimit: { requests: 1, perMs: 2_000 } });
    const limiter = new AdaptiveConcurrency({ initial: 4, max: 4 });
    const started = Date.now();
    const error = await deliverHttpBatch(
      def,
      config(),
      batchOf(range(6).map((i) => record(i))),
      options({ budget: new InMemoryRateBudget(), concurrency: () => limiter }),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FatalDestinationError);
    expect((error as Error).message).toBe("the API token was refused (HTTP 401): create a new token");
    // The others were waiting on the rate budget (one start per ~2 s): they gave up instead of waiting.
    expect(Date.now() - started).toBeLessThan(1_000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(seen).toHaveLength(1);
    expect(limiter.active).toBe(0);
  });

  it("stops waiting out a Retry-After as soon as the signal aborts, rejecting with the abort reason", async () => {
    respond = () => ({ status: 429, headers: { "retry-after": "30" } });
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error("worker draining")), 100);
    const started = Date.now();
    const error = await deliverHttpBatch(
      destination(),
      config(),
      batchOf([record(1)]),
      options({ signal: controller.signal }),
    ).catch((e: unknown) => e);
    expect((error as Error).message).toBe("worker draining");
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(seen).toHaveLength(1);
  });

  it("stops waiting on the rate budget when the signal aborts", async () => {
    const def = destination({ batch: { maxRecords: 1 }, rateLimit: { requests: 1, perMs: 10_000 } });
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error("cancelled")), 100);
    const started = Date.now();
    const error = await deliverHttpBatch(
      def,
      config(),
      batchOf([record(1), record(2)]),
      options({ signal: controller.signal, budget: new InMemoryRateBudget() }),
    ).catch((e: unknown) => e);
    expect((error as Error).message).toBe("cancelled");
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(seen).toHaveLength(1);
  });

  it("ends a Retry-After wait that began beside a running request at once when the signal aborts", async () => {
    // Record 1 is rate limited for 30 s while record 2's request still runs: the wait first overlaps that
    // request, then goes on alone.
    respond = (s) => (s.records[0]?.id === 1 ? { status: 429, headers: { "retry-after": "30" } } : { delayMs: 100 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error("shutdown")), 300);
    const started = Date.now();
    const error = await deliverHttpBatch(
      destination({ batch: { maxRecords: 1 } }),
      config(),
      batchOf([record(1), record(2)]),
      options({ signal: controller.signal }),
    ).catch((e: unknown) => e);
    expect((error as Error).message).toBe("shutdown");
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(seen).toHaveLength(2);
  });

  it("lets a request in flight finish when the signal aborts and returns its results when it completed the batch", async () => {
    respond = () => ({ delayMs: 200 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error("draining")), 50);
    const outcome = await deliverHttpBatch(
      destination({ batch: { maxRecords: 1 } }),
      config(),
      batchOf([record(1)]),
      options({ signal: controller.signal }),
    );
    expect(outcome.results).toEqual([{ status: "ok" }]);
    expect(seen).toHaveLength(1);
  });

  it("rejects with the abort reason when records of the batch were never sent", async () => {
    respond = () => ({ delayMs: 200 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error("draining")), 50);
    const error = await deliverHttpBatch(
      destination({ batch: { maxRecords: 1 } }),
      config(),
      batchOf([record(1), record(2), record(3), record(4), record(5), record(6), record(7), record(8), record(9), record(10)]),
      options({ signal: controller.signal, concurrency: () => new AdaptiveConcurrency({ initial: 1, max: 1 }) }),
    ).catch((e: unknown) => e);
    expect((error as Error).message).toBe("draining");
    expect(seen.length).toBeLessThan(10);
  });

  it("refuses a loopback destination unless private addresses are allowed", async () => {
    const error = await deliverHttpBatch(destination(), config(), batchOf([record(1)]), options({ allowPrivate: false })).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(FatalDestinationError);
    expect((error as Error).message).toMatch(
      /^the destination's address is not allowed: 127\.0\.0\.1 is a private or loopback address/,
    );
    expect(seen).toHaveLength(0);
  });

  it("masks Authorization, secret headers and secret values in every recorded exchange", async () => {
    respond = (s) => ({ body: { echo: s.headers["x-api-secret"], results: s.records.map(() => ({ status: "ok" })) } });
    const def = destination(
      {},
      {
        buildRequest: (records, group, ctx) => ({
          method: "POST",
          url: `${ctx.config.url}/batch/${group}?key=qk-98765%2F4321`,
          headers: { Authorization: `Bearer ${ctx.config.token}`, "X-Api-Secret": "sek-abcdef-ghij", "X-Trace": "visible" },
          body: JSON.stringify({ token: ctx.config.token, records: records.map((r) => ({ id: r.key.id, ...r.data })) }),
          secretHeaders: ["x-api-secret"],
          secrets: ["qk-98765/4321"],
        }),
      },
    );
    const outcome = await deliverHttpBatch(def, config(), batchOf([record(1)]), options());
    expect(seen[0]?.headers.authorization).toBe("Bearer tok-live-123456");
    expect(seen[0]?.headers["x-api-secret"]).toBe("sek-abcdef-ghij");
    const exchange = outcome.exchanges?.[0];
    expect(exchange?.request.headers).toEqual({ Authorization: SECRET_MASK, "X-Api-Secret": SECRET_MASK, "X-Trace": "visible" });
    expect(exchange?.request.url).toBe(`${base}/batch/insert?key=${SECRET_MASK}`);
    expect(exchange?.request.body).toContain(`"token":"${SECRET_MASK}"`);
    expect(exchange?.response?.body).toContain(`"echo":"${SECRET_MASK}"`);
    const recorded = JSON.stringify(outcome);
    for (const secret of ["tok-live-123456", "sek-abcdef-ghij", "qk-98765"]) expect(recorded).not.toContain(secret);
  });
});
