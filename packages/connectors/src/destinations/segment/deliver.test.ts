// Segment-compatible delivery against the emulator (written from Segment's HTTP API docs): message shapes,
// messageId deduplication, batching by count and by bytes, per-record rejections, whole-batch splits,
// auth, 429s and 5xx, masked secrets.
import type { SyncMode } from "@sluice/contracts/sync-config";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type DeliverOptions, type DeliveryRecord, FatalDestinationError } from "../../kit/delivery";
import { describeConfigFields } from "../../kit/describe-fields";
import { SECRET_MASK } from "../../kit/http-destination";
import { getDestination } from "../../registry";
import { type SegmentConfig, segmentConfigSchema } from "./config";
import { segmentDriver } from "./deliver";
import { type SegmentEmulator, type SegmentEmulatorOptions, startSegmentEmulator } from "./emulator";

const KEY = "segment-test-key";
const OPTIONS: DeliverOptions = { allowPrivate: true, retry: { attempts: 3, baseMs: 1, capMs: 5 } };

let segment: SegmentEmulator;
const start = async (o: SegmentEmulatorOptions = {}) => {
  await segment?.close();
  segment = await startSegmentEmulator(o);
};
beforeEach(async () => {
  segment = await startSegmentEmulator();
});
afterEach(async () => {
  await segment.close();
});

const config = (extra: Partial<Record<keyof SegmentConfig, unknown>> = {}): SegmentConfig =>
  segmentConfigSchema.parse({ baseUrl: segment.url, writeKey: KEY, ...extra });

let n = 0;
const row = (data: Record<string, unknown>, op: DeliveryRecord["op"] = "insert"): DeliveryRecord => ({
  op,
  key: { id: ++n },
  data,
  idempotencyKey: `idem-${n}`,
});
const deliver = (records: DeliveryRecord[], o: { object?: string; mode?: SyncMode; config?: SegmentConfig } = {}) =>
  segmentDriver.deliver(
    o.config ?? config(),
    { syncId: "s1", runId: "r1", batchId: "r1-1", object: o.object ?? "identify", mode: o.mode ?? "upsert", records },
    OPTIONS,
  );
type Body = { batch: Record<string, unknown>[]; sentAt: string };
const bodies = () => segment.requests.map((r) => r.body as Body);

describe("segment: registry and config", () => {
  it("is registered with its secret field and three objects, none of them mirror", () => {
    const connector = getDestination("segment");
    expect(connector?.secretFields).toEqual(["writeKey"]);
    expect(connector?.contract.objects.map((o) => [o.name, o.modes.includes("mirror")])).toEqual([
      ["identify", false],
      ["track", false],
      ["group", false],
    ]);
    const fields = describeConfigFields(connector as NonNullable<typeof connector>);
    expect(fields.map((f) => [f.key, f.required, f.secret, f.default])).toEqual([
      ["baseUrl", false, false, "https://api.segment.io"],
      ["writeKey", true, true, undefined],
      ["eventName", false, false, undefined],
      ["batchSize", false, false, 500],
      ["requestsPerSecond", false, false, 1000],
    ]);
  });

  it("defaults to Segment's US endpoint, takes the EU one or a compatible server, and refuses unsafe URLs", () => {
    const parse = (baseUrl?: string) => segmentConfigSchema.safeParse({ writeKey: KEY, ...(baseUrl ? { baseUrl } : {}) });
    expect(parse().data?.baseUrl).toBe("https://api.segment.io");
    expect(parse("https://events.eu1.segmentapis.com/v1/batch").data?.baseUrl).toBe("https://events.eu1.segmentapis.com");
    expect(parse("https://dataplane.example.com/rudder/v1/").data?.baseUrl).toBe("https://dataplane.example.com/rudder");
    expect(parse("http://example.com").error?.issues[0]?.message).toMatch(/Use https:\/\/ for example\.com/);
    expect(parse("https://key:@api.segment.io").error?.issues[0]?.message).toMatch(/write key goes in its own field/);
    expect(parse("http://10.0.0.5:8080").data?.baseUrl).toBe("http://10.0.0.5:8080");
    expect(segmentConfigSchema.safeParse({}).error?.issues[0]?.path).toEqual(["writeKey"]);
  });
});

describe("segment: messages", () => {
  it("sends Identify calls to /v1/batch with write-key basic auth and messageId = idempotency key", async () => {
    const records = [
      row({ userId: 42, traits: { email: "a@x.io", plan: "pro" } }),
      row({ anonymousId: "anon-1", traits: { plan: "free" }, timestamp: "2024-05-01T12:00:00.000Z" }),
    ];
    const outcome = await deliver(records);
    expect(outcome.results).toEqual([{ status: "ok" }, { status: "ok" }]);
    const [req] = segment.requests;
    expect(req?.path).toBe("/v1/batch");
    expect(req?.authorization).toBe(`Basic ${Buffer.from(`${KEY}:`).toString("base64")}`);
    expect(req?.contentType).toBe("application/json");
    expect(bodies()[0]).toEqual({
      batch: [
        { type: "identify", messageId: records[0]?.idempotencyKey, userId: "42", traits: { email: "a@x.io", plan: "pro" } },
        {
          type: "identify",
          messageId: records[1]?.idempotencyKey,
          anonymousId: "anon-1",
          timestamp: "2024-05-01T12:00:00.000Z",
          traits: { plan: "free" },
        },
      ],
      sentAt: expect.any(String),
    });
    expect(JSON.stringify(bodies()[0])).not.toContain("writeKey");
    expect(Object.fromEntries(segment.users)).toEqual({ "42": { email: "a@x.io", plan: "pro" }, "anon-1": { plan: "free" } });
  });

  it("sends Track calls with the mapped event or the configured one, and Group calls with groupId", async () => {
    await deliver([row({ userId: "u1", event: "Signed Up", properties: { plan: "pro" } }), row({ userId: "u2" })], {
      object: "track",
      mode: "insert",
      config: config({ eventName: "Synced" }),
    });
    expect(segment.events.map((e) => [e.userId, e.event, e.properties])).toEqual([
      ["u1", "Signed Up", { plan: "pro" }],
      ["u2", "Synced", undefined],
    ]);
    await deliver([row({ userId: "u1", groupId: 7, traits: { name: "Initech", employees: 420 } })], { object: "group" });
    expect(segment.groups.get("7")).toEqual({ traits: { name: "Initech", employees: 420 }, members: new Set(["u1"]) });
    expect(segment.dropped).toEqual([]);
  });

  it("a batch sent again is deduplicated by messageId", async () => {
    const records = [row({ userId: "u1", event: "A" }), row({ userId: "u2", event: "B" })];
    await deliver(records, { object: "track", mode: "insert" });
    await deliver(records, { object: "track", mode: "insert" });
    expect(segment.requests).toHaveLength(2);
    expect(segment.events).toHaveLength(2);
    expect(segment.duplicates).toBe(2);
  });

  it("rejects, before sending, what Segment would drop after a 200 — with the reason", async () => {
    const outcome = await deliver(
      [
        row({ event: "No one" }),
        row({ userId: "u1" }),
        row({ userId: { id: 1 }, event: "X" }),
        row({ userId: "u1", event: "X", timestamp: "soon" }),
        row({ userId: "u1", event: "X", properties: "flat" }),
        row({ userId: "u1", event: "X" }, "delete"),
        row({ userId: "u1", event: "ok" }),
      ],
      { object: "track", mode: "insert" },
    );
    expect(outcome.results).toEqual([
      { status: "rejected", reason: "userId and anonymousId are both missing: map a column to userId (or anonymousId)" },
      { status: "rejected", reason: expect.stringMatching(/no event name: map a column to `event`/) },
      { status: "rejected", reason: expect.stringMatching(/userId must be a string or a number/) },
      { status: "rejected", reason: expect.stringMatching(/timestamp "soon" is not an ISO 8601 date-time/) },
      { status: "rejected", reason: "properties must be an object: map columns to properties.<name>" },
      { status: "rejected", reason: expect.stringMatching(/no delete call/) },
      { status: "ok" },
    ]);
    expect(bodies().flatMap((b) => b.batch)).toHaveLength(1);
    const group = await deliver([row({ userId: "u1" })], { object: "group" });
    expect(group.results).toEqual([{ status: "rejected", reason: "groupId is missing: map a column to groupId" }]);
  });
});

describe("segment: batching", () => {
  it("by count: at most batchSize messages per request", async () => {
    const records = Array.from({ length: 1_200 }, (_, i) => row({ userId: `u${i}` }));
    const outcome = await deliver(records);
    expect(outcome.results.every((r) => r.status === "ok")).toBe(true);
    expect(
      bodies()
        .map((b) => b.batch.length)
        .sort((a, b) => b - a),
    ).toEqual([500, 500, 200]);
    segment.reset();
    await deliver(records.slice(0, 250), { config: config({ batchSize: 100 }) });
    expect(
      bodies()
        .map((b) => b.batch.length)
        .sort((a, b) => b - a),
    ).toEqual([100, 100, 50]);
    expect(segment.users.size).toBe(250);
  });

  it("by bytes: requests stay under 500 KB and a message over 32 KB is rejected with that reason", async () => {
    const big = "x".repeat(20_000);
    const records = Array.from({ length: 60 }, (_, i) => row({ userId: `u${i}`, traits: { big } }));
    records.push(row({ userId: "huge", traits: { blob: "y".repeat(33 * 1024) } }));
    const outcome = await deliver(records);
    expect(outcome.results.slice(0, 60).every((r) => r.status === "ok")).toBe(true);
    expect(outcome.results[60]).toEqual({
      status: "rejected",
      reason: expect.stringMatching(/takes \d+ bytes, over the Tracking API's 32768-byte \(32 KB\) limit per message/),
    });
    expect(segment.requests.length).toBeGreaterThanOrEqual(3);
    expect(Math.max(...segment.requests.map((r) => r.bytes))).toBeLessThanOrEqual(500 * 1024);
    expect(segment.requests.every((r) => r.status === 200)).toBe(true);
    expect(segment.users.size).toBe(60);
  });

  it("a 400 refuses the batch as a whole: the kit splits it; a lone message is rejected with the reason", async () => {
    segment.failNext(1, 400);
    const split = await deliver([row({ userId: "a" }), row({ userId: "b" })]);
    expect(split.results).toEqual([{ status: "ok" }, { status: "ok" }]);
    expect(bodies().map((b) => b.batch?.length)).toEqual([2, 1, 1]);
    segment.failNext(1, 400);
    const alone = await deliver([row({ userId: "c" })]);
    expect(alone.results).toEqual([
      { status: "rejected", reason: 'the Tracking API refused the batch (HTTP 400): {"success":false,"message":"Bad Request"}' },
    ]);
  });
});

describe("segment: credentials and URL", () => {
  it("a refused write key fails the run with 'check the write key', without the key", async () => {
    const error = await deliver([row({ userId: "a" })], { config: config({ writeKey: "wrong-key" }) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FatalDestinationError);
    expect((error as Error).message).toMatch(/refused the write key \(HTTP 401: .*Invalid write key.*\) — check the write key/);
    expect((error as Error).message).not.toContain("wrong-key");
  });

  it("a base URL without a batch endpoint fails the run, naming the URL", async () => {
    const error = await deliver([row({ userId: "a" })], { config: config({ baseUrl: `${segment.url}/nope` }) }).catch(
      (e: unknown) => e,
    );
    expect((error as Error).message).toMatch(/\/nope\/v1\/batch does not exist \(HTTP 404\) — check the base URL/);
  });

  it("masks the write key in every recorded exchange", async () => {
    const outcome = await deliver([row({ userId: "a" })]);
    expect(outcome.exchanges?.[0]?.request.headers.authorization).toBe(SECRET_MASK);
    const text = JSON.stringify(outcome);
    expect(text).not.toContain(KEY);
    expect(text).not.toContain(Buffer.from(`${KEY}:`).toString("base64"));
  });
});

describe("segment: rate limits and server errors", () => {
  it("waits out 429s (Retry-After) and loses nothing", async () => {
    await start({ rateLimit: { requests: 1, perMs: 500 } });
    const records = Array.from({ length: 30 }, (_, i) => row({ userId: `u${i}` }));
    const outcome = await deliver(records, { config: config({ batchSize: 10 }) });
    expect(outcome.results.every((r) => r.status === "ok")).toBe(true);
    expect(segment.requests.some((r) => r.status === 429)).toBe(true);
    expect(segment.users.size).toBe(30);
    expect(outcome.throttledMs).toBeGreaterThan(0);
  });

  it("rides out a 429 storm", async () => {
    segment.stormFor(300);
    const outcome = await deliver([row({ userId: "a" })]);
    expect(outcome.results).toEqual([{ status: "ok" }]);
    expect(segment.requests.map((r) => r.status)).toEqual([429, 200]);
  });

  it("retries 5xx, then leaves the records failed for the next run", async () => {
    segment.failNext(2, 503);
    expect((await deliver([row({ userId: "a" })])).results).toEqual([{ status: "ok" }]);
    segment.failNext(3, 500);
    const outcome = await deliver([row({ userId: "b" })]);
    expect(outcome.results).toEqual([
      {
        status: "failed",
        reason: 'Tracking API server error (HTTP 500): {"success":false,"message":"Internal Server Error"} (after 3 attempts)',
      },
    ]);
  });
});
