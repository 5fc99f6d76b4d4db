import dns from "node:dns/promises";
import http from "node:http";
import type net from "node:net";
import os from "node:os";
import { gunzipSync } from "node:zlib";
import { WebhookBatchSchema } from "@sluice/contracts/webhook";
import { verifyWebhookSignature } from "@sluice/contracts/webhook-signature";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type DeliveryBatch, FatalDestinationError } from "../../kit/delivery";
import { isPrivateOrLoopbackHost } from "../../kit/network";
import type { RetryPolicy } from "../../kit/retry";
import { getDestination } from "../../registry";
import { webhookConfigSchema } from "./config";
import { deliverWebhookBatch } from "./deliver";

type Handler = (req: http.IncomingMessage, body: string, res: http.ServerResponse) => void;
const received: { headers: http.IncomingHttpHeaders; body: string; at: number }[] = [];
let script: Handler[] = [];
let fallback: Handler = (_req, _body, res) => res.end();
let server: http.Server;
let base: string;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c) => {
      body += c;
    });
    req.on("end", () => {
      received.push({ headers: req.headers, body, at: Date.now() });
      (script.shift() ?? fallback)(req, body, res);
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
  received.length = 0;
  script = [];
  fallback = (_req, _body, res) => res.end();
});

const reply =
  (status: number, body = "", headers: Record<string, string> = {}): Handler =>
  (_req, _body, res) => {
    res.writeHead(status, headers);
    res.end(body);
  };

const fast: RetryPolicy = { attempts: 3, baseMs: 5, capMs: 20 };
const config = (extra: object = {}) => webhookConfigSchema.parse({ url: `${base}/hook`, ...extra });
const batch: DeliveryBatch = {
  syncId: "sync1",
  runId: "run1",
  batchId: "run1-0",
  records: [
    { op: "insert", key: { id: 1 }, data: { email: "a@example.com", traits: { plan: "pro" } }, idempotencyKey: "k1" },
    { op: "update", key: { id: 2 }, data: { email: "b@example.com" }, idempotencyKey: "k2" },
    { op: "delete", key: { id: 3 }, data: { ignored: true }, idempotencyKey: "k3" },
  ],
};
const deliver = (extra: object = {}, o: Partial<Parameters<typeof deliverWebhookBatch>[2]> = {}) =>
  deliverWebhookBatch(config(extra), batch, { allowPrivate: true, retry: fast, ...o });

describe("webhook delivery: request", () => {
  it("POSTs the batch as JSON with the custom headers and a valid signature, and records it without secrets", async () => {
    const secret = "a-signing-secret-of-some-length";
    const outcome = await deliver({ headers: { Authorization: "Bearer top-secret-token" }, signingSecret: secret });
    expect(received).toHaveLength(1);
    const req = received[0];
    if (!req) throw new Error("no request");
    expect(req.headers["content-type"]).toBe("application/json");
    expect(req.headers.authorization).toBe("Bearer top-secret-token");
    expect(verifyWebhookSignature(req.body, req.headers["x-sluice-signature"] as string, secret)).toBe(true);
    const body = WebhookBatchSchema.parse(JSON.parse(req.body));
    expect(body).toEqual({
      syncId: "sync1",
      runId: "run1",
      batchId: "run1-0",
      records: [
        { op: "insert", key: { id: 1 }, data: { email: "a@example.com", traits: { plan: "pro" } }, idempotencyKey: "k1" },
        { op: "update", key: { id: 2 }, data: { email: "b@example.com" }, idempotencyKey: "k2" },
        { op: "delete", key: { id: 3 }, idempotencyKey: "k3" },
      ],
    });
    expect(outcome.results).toEqual([{ status: "ok" }, { status: "ok" }, { status: "ok" }]);
    expect(outcome.attempts).toBe(1);
    expect(outcome.request).toMatchObject({ method: "POST", url: `${base}/hook`, body: req.body });
    expect(outcome.request.headers.Authorization).toBe("••••••••");
    expect(outcome.response).toEqual({ status: 200, body: "" });
    const recorded = JSON.stringify(outcome);
    expect(recorded).not.toContain("top-secret-token");
    expect(recorded).not.toContain(secret);
    expect(recorded).not.toContain(req.headers["x-sluice-signature"]);
  });

  it("sends no signature without a secret, strips URL credentials from the record, and truncates big bodies", async () => {
    const big: DeliveryBatch = {
      ...batch,
      records: Array.from({ length: 200 }, (_, i) => ({
        op: "insert" as const,
        key: { id: i },
        data: { blob: "x".repeat(500) },
        idempotencyKey: `k${i}`,
      })),
    };
    const url = `${base.replace("http://", "http://user:pw-secret@")}/hook`;
    const outcome = await deliverWebhookBatch(webhookConfigSchema.parse({ url }), big, { allowPrivate: true, retry: fast });
    expect(received[0]?.headers["x-sluice-signature"]).toBeUndefined();
    expect(received[0]?.headers.authorization).toMatch(/^Basic /); // the URL's credentials are still used
    expect(outcome.request.url).toBe(`${base}/hook`);
    expect(JSON.stringify(outcome)).not.toContain("pw-secret");
    expect(Buffer.byteLength(outcome.request.body)).toBeLessThan(64 * 1024 + 100);
    expect(outcome.request.body).toMatch(/truncated, \d+ bytes in all\]$/);
    expect(outcome.results).toHaveLength(200);
  });

  it("is registered as the webhook driver with the configured batch size", () => {
    const driver = getDestination("webhook")?.driver;
    // Batch delivery: an engine batch is one request, and `concurrency` of them are in flight at once.
    expect(driver?.maxBatchRecords(config({ batchSize: 42 }))).toBe(42);
    expect(driver?.batchesInFlight?.(config({ batchSize: 42 }))).toBe(4);
    expect(driver?.batchesInFlight?.(config({ batchSize: 42, concurrency: 5 }))).toBe(5);
    // One record per request: one engine batch carries enough records for every request allowed in flight.
    expect(driver?.maxBatchRecords(config({ delivery: "record", concurrency: 3 }))).toBe(150);
    expect(driver?.batchesInFlight?.(config({ delivery: "record", concurrency: 3 }))).toBe(1);
    // An invalid stored config: one record, one batch, which deliver() then refuses.
    const invalid = { url: "not a url" } as unknown as Parameters<NonNullable<typeof driver>["maxBatchRecords"]>[0];
    expect(driver?.maxBatchRecords(invalid)).toBe(1);
    expect(driver?.batchesInFlight?.(invalid)).toBe(1);
    expect(getDestination("nope")).toBeUndefined();
    expect(getDestination("__proto__")).toBeUndefined();
  });
});

describe("webhook delivery: shapes and concurrency", () => {
  const many = (n: number): DeliveryBatch => ({
    ...batch,
    records: Array.from({ length: n }, (_, i) => ({
      op: "insert" as const,
      key: { id: i + 1 },
      data: { email: `u${i + 1}@example.com` },
      idempotencyKey: `key-${String(i + 1).padStart(4, "0")}`,
    })),
  });

  it("sends a page in batchSize requests, several in flight, each with its own deterministic batch id", async () => {
    let inFlight = 0;
    let peak = 0;
    fallback = (_req, _body, res) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      setTimeout(() => {
        inFlight--;
        res.end();
      }, 40);
    };
    const outcome = await deliverWebhookBatch(config({ batchSize: 10, concurrency: 3 }), many(60), {
      allowPrivate: true,
      retry: fast,
    });
    expect(outcome.results.every((r) => r.status === "ok")).toBe(true);
    expect(received).toHaveLength(6);
    expect(peak).toBe(3);
    const bodies = received.map((r) => JSON.parse(r.body) as { batchId: string; records: { key: { id: number } }[] });
    expect(bodies.flatMap((b) => b.records.map((r) => r.key.id)).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 60 }, (_, i) => i + 1),
    );
    expect(new Set(bodies.map((b) => b.batchId)).size).toBe(6);
    expect(bodies.map((b) => b.batchId)).toContain("run1-0.key-0001");
  });

  it("sends one record per request in record mode, shaped by the record template", async () => {
    const template = JSON.stringify({
      email: "{{data.email}}",
      action: "{{op}}",
      id: "{{key.id}}",
      note: "row {{key.id}} ({{op}})",
    });
    const outcome = await deliver({ delivery: "record", recordTemplate: template });
    expect(outcome.results.every((r) => r.status === "ok")).toBe(true);
    const bodies = received.map((r) => JSON.parse(r.body)).sort((a, b) => a.id - b.id);
    expect(bodies).toEqual([
      { email: "a@example.com", action: "insert", id: 1, note: "row 1 (insert)" },
      { email: "b@example.com", action: "update", id: 2, note: "row 2 (update)" },
      // A template sees a delete's last synced fields (here without an email: a missing value renders as null).
      { email: null, action: "delete", id: 3, note: "row 3 (delete)" },
    ]);
  });

  it("gzips the body when asked; the signature covers the uncompressed JSON", async () => {
    const chunks: Buffer[] = [];
    let encoding: string | undefined;
    let signature: string | undefined;
    const zipped = http.createServer((req, res) => {
      encoding = req.headers["content-encoding"];
      signature = req.headers["x-sluice-signature"] as string;
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => res.end());
    });
    await new Promise<void>((resolve) => zipped.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(zipped.address() as net.AddressInfo).port}/z`;
    const secret = "a-signing-secret-of-some-length";
    try {
      const outcome = await deliverWebhookBatch(webhookConfigSchema.parse({ url, gzip: true, signingSecret: secret }), batch, {
        allowPrivate: true,
        retry: fast,
      });
      expect(outcome.results.every((r) => r.status === "ok")).toBe(true);
      expect(encoding).toBe("gzip");
      const json = gunzipSync(Buffer.concat(chunks)).toString("utf8");
      expect(WebhookBatchSchema.parse(JSON.parse(json)).records).toHaveLength(3);
      expect(verifyWebhookSignature(json, signature as string, secret)).toBe(true);
      expect(outcome.request.body).toBe(json); // recorded uncompressed
    } finally {
      zipped.closeAllConnections();
      await new Promise<void>((resolve) => zipped.close(() => resolve()));
    }
  });

  it("refuses a template that is not JSON or names an unknown placeholder", () => {
    expect(webhookConfigSchema.safeParse({ url: base, recordTemplate: "{nope" }).success).toBe(false);
    const unknown = webhookConfigSchema.safeParse({ url: base, recordTemplate: '{"a": "{{row.email}}"}' });
    expect(unknown.success).toBe(false);
    expect(JSON.stringify(unknown.error?.issues)).toContain("{{row.email}} does not start with one of op, key, data");
  });
});

describe("webhook delivery: responses", () => {
  it("maps per-record results in order (retry → failed)", async () => {
    script = [
      reply(
        200,
        JSON.stringify({ results: [{ status: "ok" }, { status: "rejected", reason: "bad email" }, { status: "retry" }] }),
        { "content-type": "application/json" },
      ),
    ];
    const outcome = await deliver();
    expect(outcome.results).toEqual([
      { status: "ok" },
      { status: "rejected", reason: "bad email" },
      { status: "failed", reason: "the webhook asked to retry this record" },
    ]);
  });

  it("counts a 2xx without results as all delivered", async () => {
    script = [reply(204), reply(200, "thanks!"), reply(202, JSON.stringify({ accepted: 3 }))];
    for (let i = 0; i < 3; i++) expect((await deliver()).results.every((r) => r.status === "ok")).toBe(true);
  });

  it("fails the whole batch when results do not match the records, without re-sending", async () => {
    script = [reply(200, JSON.stringify({ results: [{ status: "ok" }] }))];
    const outcome = await deliver();
    expect(outcome.results).toEqual(Array(3).fill({ status: "failed", reason: "webhook returned 1 results for 3 records" }));
    expect(received).toHaveLength(1);

    script = [reply(200, JSON.stringify({ results: [{ status: "ok" }, { status: "maybe" }, { status: "ok" }] }))];
    const invalid = await deliver();
    expect(invalid.results[0]).toMatchObject({ status: "failed", reason: expect.stringContaining("for 3 records") });
  });

  it("splits a batch refused with a 400 to isolate the bad record; the others are delivered", async () => {
    // The endpoint refuses any request that carries record 2 (no email), and accepts the rest.
    fallback = (_req, body, res) => {
      const ids = (JSON.parse(body) as { records: { key: { id: number } }[] }).records.map((r) => r.key.id);
      if (ids.includes(2)) {
        res.writeHead(400);
        res.end('{"error":"field email is required"}');
      } else res.end();
    };
    const outcome = await deliver();
    expect(outcome.results[0]).toEqual({ status: "ok" });
    expect(outcome.results[1]).toMatchObject({ status: "rejected", reason: expect.stringContaining("HTTP 400") });
    expect(outcome.results[1]?.status === "rejected" && outcome.results[1].reason).toContain("field email is required");
    expect(outcome.results[2]).toEqual({ status: "ok" });
    // [1,2,3] → [1,2] + [3] → [1] + [2] (halves may arrive in either order)
    expect(received.map((r) => JSON.parse(r.body).records.length).sort()).toEqual([1, 1, 1, 2, 3]);
  });

  it("rejects a lone record on a 400 with the status and the body excerpt", async () => {
    fallback = reply(400, '{"error":"field email is required"}');
    const outcome = await deliver();
    for (const r of outcome.results) {
      expect(r).toMatchObject({ status: "rejected", reason: expect.stringContaining("HTTP 400") });
      expect(r.status === "rejected" && r.reason).toContain("field email is required");
    }
    expect(outcome.response?.status).toBe(400);
  });

  it.each([401, 403])("fails the run on %i: credentials refused", async (status) => {
    script = [reply(status, "nope")];
    const error = await deliver().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FatalDestinationError);
    expect((error as Error).message).toContain(
      `the webhook refused Sluice's request (HTTP ${status}) — check its credentials/headers`,
    );
    expect(received).toHaveLength(1);
  });

  it("treats a redirect as a configuration error (not followed)", async () => {
    script = [reply(301, "", { location: "http://169.254.169.254/latest" })];
    await expect(deliver()).rejects.toThrow(/redirect \(HTTP 301 to http:\/\/169\.254\.169\.254\/latest\).*use the final URL/);
    expect(received).toHaveLength(1);
  });
});

describe("webhook delivery: retries", () => {
  it("retries a 500 and succeeds", async () => {
    script = [reply(500, "boom"), reply(200)];
    const outcome = await deliver();
    expect(outcome.attempts).toBe(2);
    expect(outcome.results.every((r) => r.status === "ok")).toBe(true);
    expect(received).toHaveLength(2);
    expect(received[0]?.body).toBe(received[1]?.body);
  });

  it("honours Retry-After in seconds on a 429", async () => {
    script = [reply(429, "slow down", { "retry-after": "1" }), reply(200)];
    const outcome = await deliver();
    expect(outcome.attempts).toBe(2);
    const waited = (received[1]?.at ?? 0) - (received[0]?.at ?? 0);
    expect(waited).toBeGreaterThanOrEqual(950);
    expect(outcome.latencyMs).toBeGreaterThanOrEqual(950);
  });

  it("honours Retry-After as an HTTP-date", async () => {
    // HTTP-dates have whole seconds: 2 s ahead means a wait of more than 1 s.
    const at = new Date(Date.now() + 2_000).toUTCString();
    script = [reply(503, "", { "retry-after": at }), reply(200)];
    const outcome = await deliver();
    expect(outcome.attempts).toBe(2);
    expect((received[1]?.at ?? 0) - (received[0]?.at ?? 0)).toBeGreaterThanOrEqual(1_000);
  });

  it("leaves the records for the next run at once when Retry-After is longer than its patience", async () => {
    script = [reply(429, "", { "retry-after": "3600" })];
    const outcome = await deliver({}, { rateLimitPatienceMs: 10_000 });
    expect(received).toHaveLength(1);
    expect(outcome.results[0]).toMatchObject({ status: "failed", reason: expect.stringContaining("left for the next run") });
  });

  it("fails every record with the last reason once the attempts are spent", async () => {
    fallback = reply(502, "bad gateway");
    const outcome = await deliver();
    expect(outcome.attempts).toBe(3);
    expect(received).toHaveLength(3);
    expect(outcome.results).toEqual(
      Array(3).fill({ status: "failed", reason: "webhook server error (HTTP 502): bad gateway (after 3 attempts)" }),
    );
    expect(outcome.response?.status).toBe(502);
  });

  it("stops retrying as soon as the signal aborts", async () => {
    fallback = reply(503);
    const controller = new AbortController();
    const started = Date.now();
    const pending = deliver(
      {},
      { retry: { attempts: 5, baseMs: 10_000, capMs: 10_000, random: () => 0.99 }, signal: controller.signal },
    );
    setTimeout(() => controller.abort(), 100);
    await expect(pending).rejects.toMatchObject({ name: "AbortError" });
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(received).toHaveLength(1);
  });

  it("lets the request in flight finish when the signal aborts during it, and reports its results", async () => {
    script = [(_req, _body, res) => setTimeout(() => res.end(), 300)];
    const controller = new AbortController();
    const pending = deliver({}, { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    // The batch was finished by the request in flight: the engine checkpoints it instead of re-sending.
    const outcome = await pending;
    expect(outcome.results.every((r) => r.status === "ok")).toBe(true);
  });

  it("reports a call the signal cut short as not done when records were still waiting", async () => {
    script = [reply(503), (_req, _body, res) => setTimeout(() => res.end(), 300)];
    const controller = new AbortController();
    const pending = deliver(
      {},
      { signal: controller.signal, retry: { attempts: 3, baseMs: 5_000, capMs: 5_000, random: () => 0.9 } },
    );
    setTimeout(() => controller.abort(), 100);
    await expect(pending).rejects.toMatchObject({ name: "AbortError" });
    expect(received).toHaveLength(1);
  });

  it("sends nothing when the signal has already aborted", async () => {
    await expect(deliver({}, { signal: AbortSignal.abort() })).rejects.toMatchObject({ name: "AbortError" });
    expect(received).toHaveLength(0);
  });
});

describe("webhook delivery: network", () => {
  it("refuses a private or loopback address unless allowed", async () => {
    const error = await deliver({}, { allowPrivate: false }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FatalDestinationError);
    expect((error as Error).message).toContain("127.0.0.1 is a private or loopback address");
    expect((error as Error).message).toContain("SLUICE_ALLOW_PRIVATE_DESTINATIONS=true");
    const localhost = await deliverWebhookBatch(
      webhookConfigSchema.parse({ url: base.replace("127.0.0.1", "localhost") }),
      batch,
      {
        allowPrivate: false,
      },
    ).catch((e: unknown) => e);
    expect(localhost).toBeInstanceOf(FatalDestinationError);
    expect(received).toHaveLength(0);
  });

  it("checks the addresses a DNS name resolves to at send time", async () => {
    // The machine's own hostname usually resolves (via /etc/hosts) to a private address.
    const name = os.hostname();
    const addresses = await dns.lookup(name, { all: true }).catch(() => []);
    if (!addresses.length || !addresses.every((a) => isPrivateOrLoopbackHost(a.address)) || isPrivateOrLoopbackHost(name)) return;
    const url = `http://${name}:${(server.address() as net.AddressInfo).port}/hook`;
    const error = await deliverWebhookBatch(webhookConfigSchema.parse({ url }), batch, {
      allowPrivate: false,
      retry: fast,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FatalDestinationError);
    expect((error as Error).message).toContain(`${name} resolves to`);
    expect(received).toHaveLength(0);
  });

  it("retries a response that does not come in time, then fails the records", async () => {
    fallback = () => {}; // never answers
    const outcome = await deliver({}, { retry: { attempts: 2, baseMs: 5, capMs: 5 }, timeouts: { responseMs: 200 } });
    expect(received).toHaveLength(2);
    expect(outcome.response).toBeUndefined();
    expect(outcome.results[0]).toEqual({
      status: "failed",
      reason: "request failed: no response within 0.2 s (after 2 attempts)",
    });
  });

  it("retries a refused connection, then fails the records", async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as net.AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const outcome = await deliverWebhookBatch(webhookConfigSchema.parse({ url: `http://127.0.0.1:${port}/x` }), batch, {
      allowPrivate: true,
      retry: fast,
    });
    expect(outcome.attempts).toBe(3);
    expect(outcome.results[0]).toEqual({
      status: "failed",
      reason: "request failed: connection refused (after 3 attempts)",
    });
  });
});
