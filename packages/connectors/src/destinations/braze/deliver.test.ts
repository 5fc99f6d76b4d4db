// Braze delivery against the emulator (written from Braze's docs): request shape, batching by count and
// by bytes, per-record errors, whole-request splits, mirror deletes, auth, 429s and 5xx, masked secrets.
import type { SyncMode } from "@sluice/contracts/sync-config";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type DeliverOptions, type DeliveryBatch, type DeliveryRecord, FatalDestinationError } from "../../kit/delivery";
import { describeConfigFields } from "../../kit/describe-fields";
import type { HttpResponse } from "../../kit/http";
import { SECRET_MASK } from "../../kit/http-destination";
import { getDestination } from "../../registry";
import { type BrazeConfig, brazeConfigSchema } from "./config";
import { brazeDriver, brazeHttp, brazeRetryAfterMs } from "./deliver";
import { type BrazeEmulator, type BrazeEmulatorOptions, startBrazeEmulator } from "./emulator";

const KEY = "braze-test-key";
const OPTIONS: DeliverOptions = { allowPrivate: true, retry: { attempts: 3, baseMs: 1, capMs: 5 } };

let braze: BrazeEmulator;
const start = async (o: BrazeEmulatorOptions = {}) => {
  await braze?.close();
  braze = await startBrazeEmulator(o);
};
beforeEach(async () => {
  braze = await startBrazeEmulator();
});
afterEach(async () => {
  await braze.close();
});

const config = (extra: Partial<Record<keyof BrazeConfig, unknown>> = {}): BrazeConfig =>
  brazeConfigSchema.parse({ restEndpoint: braze.url, apiKey: KEY, ...extra });

let n = 0;
const user = (id: string | number, data: Record<string, unknown> = {}, op: DeliveryRecord["op"] = "insert"): DeliveryRecord => ({
  op,
  key: { id },
  data: { external_id: id, ...data },
  idempotencyKey: `k${++n}`,
});
const batchOf = (records: DeliveryRecord[], object = "users", mode: SyncMode = "upsert"): DeliveryBatch => ({
  syncId: "s1",
  runId: "r1",
  batchId: "r1-1",
  object,
  mode,
  records,
});
const deliver = (records: DeliveryRecord[], o: { object?: string; mode?: SyncMode; config?: BrazeConfig } = {}) =>
  brazeDriver.deliver(o.config ?? config(), batchOf(records, o.object, o.mode), OPTIONS);
const trackRequests = () => braze.requests.filter((r) => r.path === "/users/track");

describe("braze: registry and config", () => {
  it("is registered with its secret field, and its settings form is generated from the schema", () => {
    const connector = getDestination("braze");
    expect(connector?.secretFields).toEqual(["apiKey"]);
    expect(connector?.contract.objects.map((o) => o.name)).toEqual(["users", "events"]);
    const fields = describeConfigFields(connector as NonNullable<typeof connector>);
    expect(fields.map((f) => [f.key, f.required, f.secret, f.default])).toEqual([
      ["restEndpoint", true, false, undefined],
      ["apiKey", true, true, undefined],
      ["eventName", false, false, undefined],
      ["batchSize", false, false, 75],
      ["requestsPerSecond", false, false, 1000],
    ]);
    expect(fields.every((f) => f.description.length > 0)).toBe(true);
  });

  it("takes an instance's REST endpoint and refuses dashboard URLs, other hosts, paths and http", () => {
    const parse = (restEndpoint: string) => brazeConfigSchema.safeParse({ restEndpoint, apiKey: KEY });
    expect(parse("https://rest.iad-01.braze.com/").data?.restEndpoint).toBe("https://rest.iad-01.braze.com");
    expect(parse("https://rest.fra-02.braze.eu").success).toBe(true);
    expect(parse("https://rest.us-10.braze.com").success).toBe(true);
    expect(parse("https://dashboard-01.braze.com").error?.issues[0]?.message).toMatch(/use the REST endpoint/);
    expect(parse("https://example.com").error?.issues[0]?.message).toMatch(/not a Braze REST endpoint/);
    expect(parse("https://rest.iad-01.braze.com/users/track").error?.issues[0]?.message).toMatch(/without a path/);
    expect(parse("http://rest.iad-01.braze.com").error?.issues[0]?.message).toMatch(/https/);
    expect(parse("not a url").error?.issues[0]?.message).toMatch(/REST endpoint URL/);
    expect(parse("http://127.0.0.1:4010").data?.restEndpoint).toBe("http://127.0.0.1:4010");
  });
});

describe("braze: users (attributes)", () => {
  it("sends attributes objects to /users/track with a bearer key, and Braze stores them", async () => {
    const outcome = await deliver([
      user("u1", { email: "a@x.io", plan: "pro", score: 3 }),
      user(42, { first_name: "Bo", plan: null }),
    ]);
    expect(outcome.results).toEqual([{ status: "ok" }, { status: "ok" }]);
    const [req] = trackRequests();
    expect(req?.authorization).toBe(`Bearer ${KEY}`);
    expect(req?.contentType).toBe("application/json");
    expect(req?.body).toEqual({
      attributes: [
        { external_id: "u1", email: "a@x.io", plan: "pro", score: 3 },
        { external_id: "42", first_name: "Bo", plan: null },
      ],
    });
    expect(braze.users.get("u1")).toEqual({ external_id: "u1", email: "a@x.io", plan: "pro", score: 3 });
    expect(braze.users.get("42")).toEqual({ external_id: "42", first_name: "Bo" });
  });

  it("update mode only touches existing profiles (_update_existing_only)", async () => {
    await deliver([user("old", { plan: "free" })]);
    const outcome = await deliver([user("old", { plan: "pro" }, "update"), user("new", { plan: "pro" }, "update")], {
      mode: "update",
    });
    expect(outcome.results.map((r) => r.status)).toEqual(["ok", "ok"]);
    expect(trackRequests().at(-1)?.body).toMatchObject({
      attributes: [{ _update_existing_only: true }, { _update_existing_only: true }],
    });
    expect([...braze.users.keys()]).toEqual(["old"]);
    expect(braze.users.get("old")?.plan).toBe("pro");
  });

  it("rejects a record without a usable external_id before sending anything", async () => {
    const outcome = await deliver([
      { op: "insert", key: { id: 1 }, data: { email: "a@x.io" }, idempotencyKey: "a" },
      user("", {}),
      { op: "insert", key: { id: 3 }, data: { external_id: { nested: true } }, idempotencyKey: "c" },
    ]);
    expect(outcome.results).toEqual([
      { status: "rejected", reason: "external_id is missing: map a column to external_id" },
      { status: "rejected", reason: "external_id is missing: map a column to external_id" },
      { status: "rejected", reason: expect.stringMatching(/external_id must be a string or a number/) },
    ]);
    expect(braze.requests).toHaveLength(0);
  });

  it("maps Braze's per-object errors (input_array + index) to the records they name; the rest is stored", async () => {
    await start({ blockedExternalIds: ["dummy", "test"] });
    const outcome = await deliver([user("test"), user("a"), user("dummy"), user("c")]);
    const blocked = { status: "rejected", reason: "Braze: provided external_id is blacklisted and disallowed" };
    expect(outcome.results).toEqual([blocked, { status: "ok" }, blocked, { status: "ok" }]);
    expect([...braze.users.keys()].sort()).toEqual(["a", "c"]);
    expect(outcome.response?.body).toContain('"input_array":"attributes"');
  });

  it("a 400 rejects the request as a whole: the kit splits it, and a lone record is rejected with Braze's message", async () => {
    braze.failNext(1, 400);
    const split = await deliver([user("a"), user("b")]);
    expect(split.results).toEqual([{ status: "ok" }, { status: "ok" }]);
    expect(trackRequests().map((r) => (r.body as { attributes: unknown[] }).attributes.length)).toEqual([2, 1, 1]);

    braze.failNext(1, 400);
    const alone = await deliver([user("c")]);
    expect(alone.results).toEqual([{ status: "rejected", reason: "Braze rejected the request (HTTP 400): Bad Request" }]);
  });
});

describe("braze: batching", () => {
  it("by count: at most 75 attributes objects per request (or the configured batch size)", async () => {
    const records = Array.from({ length: 160 }, (_, i) => user(`u${i}`, { i }));
    const outcome = await deliver(records);
    expect(outcome.results.every((r) => r.status === "ok")).toBe(true);
    const sizes = trackRequests().map((r) => (r.body as { attributes: unknown[] }).attributes.length);
    expect(sizes.sort((a, b) => b - a)).toEqual([75, 75, 10]);
    expect(braze.users.size).toBe(160);

    braze.reset();
    await deliver(records.slice(0, 120), { config: config({ batchSize: 50 }) });
    expect(
      trackRequests()
        .map((r) => (r.body as { attributes: unknown[] }).attributes.length)
        .sort(),
    ).toEqual([20, 50, 50]);
    expect(brazeDriver.maxBatchRecords(config({ batchSize: 50 }))).toBe(400);
  });

  it("by bytes: event properties over Braze's 100 KB limit are rejected, the rest delivered", async () => {
    const outcome = await deliver(
      [
        user("a", { name: "Viewed", properties: { blob: "x".repeat(101 * 1024) } }),
        user("b", { name: "Viewed", properties: { small: 1 } }),
      ],
      { object: "events", mode: "insert" },
    );
    expect(outcome.results).toEqual([
      { status: "rejected", reason: expect.stringMatching(/over Braze's 102400-byte limit/) },
      { status: "ok" },
    ]);
    expect(braze.events.map((e) => e.external_id)).toEqual(["b"]);
  });
});

describe("braze: custom events", () => {
  it("sends one event per row: name mapped or from the config, time mapped or now, properties", async () => {
    const before = Date.now();
    const outcome = await deliver(
      [
        user("a", { name: "Signed Up", time: "2024-05-01T12:00:00.000Z", properties: { plan: "pro" } }),
        user("b", { app_id: "app-1" }),
      ],
      { object: "events", mode: "insert", config: config({ eventName: "Synced" }) },
    );
    expect(outcome.results).toEqual([{ status: "ok" }, { status: "ok" }]);
    expect(braze.events).toEqual([
      { external_id: "a", name: "Signed Up", time: "2024-05-01T12:00:00.000Z", properties: { plan: "pro" } },
      { external_id: "b", name: "Synced", time: expect.any(String), app_id: "app-1" },
    ]);
    expect(Date.parse(braze.events[1]?.time ?? "")).toBeGreaterThanOrEqual(before - 1000);
  });

  it("rejects events without a name, with a bad time or with reserved properties", async () => {
    const outcome = await deliver(
      [
        user("a"),
        user("b", { name: "X", time: "yesterday" }),
        user("c", { name: "X", properties: { time: 1 } }),
        user("d", { name: "X", properties: "flat" }),
      ],
      { object: "events", mode: "insert" },
    );
    expect(outcome.results).toEqual([
      { status: "rejected", reason: expect.stringMatching(/has no name: map a column to `name`/) },
      { status: "rejected", reason: expect.stringMatching(/not an ISO 8601 date-time/) },
      { status: "rejected", reason: expect.stringMatching(/"time" is reserved/) },
      { status: "rejected", reason: expect.stringMatching(/properties must be an object/) },
    ]);
    expect(braze.requests).toHaveLength(0);
  });
});

describe("braze: mirror deletes", () => {
  it("sends removed rows' external_ids to /users/delete, 50 at most per request", async () => {
    await deliver(Array.from({ length: 120 }, (_, i) => user(`u${i}`)));
    expect(braze.users.size).toBe(120);
    const removed = Array.from({ length: 110 }, (_, i) => user(`u${i}`, {}, "delete"));
    const outcome = await deliver([...removed, user("u119", { plan: "kept" }, "update")], { mode: "mirror" });
    expect(outcome.results.every((r) => r.status === "ok")).toBe(true);
    const deletes = braze.requests.filter((r) => r.path === "/users/delete");
    expect(deletes.map((r) => (r.body as { external_ids: string[] }).external_ids.length).sort()).toEqual([10, 50, 50]);
    expect(deletes[0]?.body).toEqual({ external_ids: expect.arrayContaining(["u0"]) });
    expect([...braze.users.keys()].sort()).toEqual([
      "u110",
      "u111",
      "u112",
      "u113",
      "u114",
      "u115",
      "u116",
      "u117",
      "u118",
      "u119",
    ]);
    expect(braze.users.get("u119")?.plan).toBe("kept");
  });

  it("rejects a removed row whose external_id is unknown, without a request", async () => {
    const outcome = await deliver([{ op: "delete", key: { id: 9 }, idempotencyKey: "d9" }], { mode: "mirror" });
    expect(outcome.results).toEqual([
      { status: "rejected", reason: expect.stringMatching(/no external_id for this removed row/) },
    ]);
    expect(braze.requests).toHaveLength(0);
  });
});

describe("braze: credentials", () => {
  it("an unknown key fails the run, naming the key and the endpoint", async () => {
    const error = await deliver([user("a")], { config: config({ apiKey: "wrong-key" }) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FatalDestinationError);
    expect((error as Error).message).toMatch(
      /Braze refused the REST API key \(HTTP 401: Unknown or missing REST API Key\) — check the API key/,
    );
    expect((error as Error).message).not.toContain("wrong-key");
  });

  it("a key without users.delete fails a mirror delete, naming the permission", async () => {
    await start({ apiKeys: { [KEY]: ["users.track"] } });
    const error = await deliver([user("a", {}, "delete")], { mode: "mirror" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FatalDestinationError);
    expect((error as Error).message).toMatch(/give the REST API key the users\.delete permission/);
  });

  it("a key without users.track fails an upsert, naming users.track", async () => {
    await start({ apiKeys: { [KEY]: ["users.delete"] } });
    const error = await deliver([user("a")]).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/the users\.track permission/);
  });

  it("masks the key in every recorded exchange", async () => {
    const outcome = await deliver([user("a"), user("b", {}, "delete")], { mode: "mirror" });
    expect(outcome.exchanges).toHaveLength(2);
    for (const exchange of outcome.exchanges ?? []) expect(exchange.request.headers.authorization).toBe(SECRET_MASK);
    expect(JSON.stringify(outcome)).not.toContain(KEY);
  });
});

describe("braze: rate limits and server errors", () => {
  it("waits out 429s until X-RateLimit-Reset and loses nothing", async () => {
    await start({ rateLimit: { requests: 2, perMs: 1_000 } });
    const records = Array.from({ length: 300 }, (_, i) => user(`u${i}`));
    const outcome = await deliver(records);
    expect(outcome.results.every((r) => r.status === "ok")).toBe(true);
    expect(braze.requests.some((r) => r.status === 429)).toBe(true);
    expect(braze.users.size).toBe(300);
    expect(outcome.throttledMs).toBeGreaterThan(0);
  });

  it("honours Retry-After through a 429 storm", async () => {
    await start({ retryAfterHeader: true });
    braze.stormFor(300);
    const outcome = await deliver([user("a"), user("b")]);
    expect(outcome.results).toEqual([{ status: "ok" }, { status: "ok" }]);
    expect(braze.requests[0]?.status).toBe(429);
    expect(braze.users.size).toBe(2);
  });

  it("retries 5xx, and leaves records failed (for the next run) once attempts are spent", async () => {
    braze.failNext(2, 503);
    expect((await deliver([user("a")])).results).toEqual([{ status: "ok" }]);
    braze.failNext(3, 502);
    const outcome = await deliver([user("b")]);
    expect(outcome.results).toEqual([
      { status: "failed", reason: "Braze server error (HTTP 502): Bad Gateway (after 3 attempts)" },
    ]);
  });
});

describe("braze: response classification", () => {
  const response = (status: number, body: unknown, headers: Record<string, string> = {}): HttpResponse => ({
    status,
    headers,
    body: JSON.stringify(body),
    truncated: false,
  });
  const ctx = (object: "users" | "events") => ({
    config: config(),
    object: brazeHttp.contract.objects.find((o) => o.name === object) as (typeof brazeHttp.contract.objects)[number],
    mode: "upsert" as const,
    session: undefined,
    allowPrivate: true,
    batch: { syncId: "s", runId: "r", batchId: "r-1", size: 1 },
  });

  it("errors that name no index: one record is rejected; attributes are split, events left delivered", () => {
    const body = { message: "success", errors: [{ type: "something went wrong" }] };
    const one = brazeHttp.classify(response(201, body), [user("a")], "track", ctx("users"));
    expect(one).toEqual({
      kind: "records",
      results: [{ status: "rejected", reason: "Braze reported errors it did not tie to an object: something went wrong" }],
    });
    const two = [user("a"), user("b")];
    expect(brazeHttp.classify(response(201, body), two, "track", ctx("users"))).toMatchObject({
      kind: "request",
      verdict: { status: "rejected" },
    });
    expect(brazeHttp.classify(response(201, body), two, "track", ctx("events"))).toEqual({
      kind: "records",
      results: [{ status: "ok" }, { status: "ok" }],
    });
  });

  it("reads the wait after a 429 from Retry-After, else X-RateLimit-Reset (epoch seconds)", () => {
    const now = 1_700_000_000_000;
    expect(brazeRetryAfterMs(response(429, {}, { "retry-after": "3" }), now)).toBe(3_000);
    expect(brazeRetryAfterMs(response(429, {}, { "x-ratelimit-reset": String(now / 1000 + 2) }), now)).toBe(2_000);
    expect(brazeRetryAfterMs(response(429, {}, {}), now)).toBeUndefined();
  });
});
