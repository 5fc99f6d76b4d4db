import { afterEach, describe, expect, it } from "vitest";
import { type DeliverOptions, type DeliveryBatch, type DeliveryRecord, FatalDestinationError } from "../../kit/delivery";
import { SECRET_MASK } from "../../kit/http-destination";
import { InMemoryRateBudget } from "../../kit/throttle";
import { getDestination } from "../../registry";
import { type HubSpotConfig, hubspotConfigSchema } from "./config";
import { deliverHubSpotBatch } from "./deliver";
import { EMULATOR_TOKEN, type HubSpotEmulator, type HubSpotEmulatorOptions, startHubSpotEmulator } from "./emulator";

const CUSTOM = {
  contacts: [
    {
      name: "plan",
      label: "Plan",
      type: "enumeration" as const,
      fieldType: "select",
      options: ["free", "pro", "enterprise"].map((v) => ({ label: v, value: v })),
    },
    { name: "score", label: "Score", type: "number" as const },
    { name: "vip", label: "VIP", type: "bool" as const },
  ],
  companies: [{ name: "company_key", label: "Company key", type: "string" as const, hasUniqueValue: true }],
};

let emulator: HubSpotEmulator;
afterEach(async () => {
  await emulator?.close();
});

async function start(o: HubSpotEmulatorOptions = {}): Promise<HubSpotEmulator> {
  emulator = await startHubSpotEmulator({ properties: CUSTOM, ...o });
  return emulator;
}

const config = (extra: Partial<HubSpotConfig> = {}): HubSpotConfig =>
  hubspotConfigSchema.parse({ accessToken: EMULATOR_TOKEN, baseUrl: emulator.url, requestsPer10Seconds: 1000, ...extra });
const options = (extra: Partial<DeliverOptions> = {}): DeliverOptions => ({
  allowPrivate: true,
  retry: { attempts: 3, baseMs: 1, capMs: 5 },
  budget: new InMemoryRateBudget(),
  ...extra,
});
const contact = (n: number, data: Record<string, unknown> = {}, op: DeliveryRecord["op"] = "insert"): DeliveryRecord => ({
  op,
  key: { id: n },
  data: { email: `user${n}@example.com`, firstname: `User ${n}`, ...data },
  idempotencyKey: `k${n}`,
});
const batch = (records: DeliveryRecord[], extra: Partial<DeliveryBatch> = {}): DeliveryBatch => ({
  syncId: "sync1",
  runId: "run1",
  batchId: "run1-1",
  object: "contacts",
  mode: "upsert",
  records,
  ...extra,
});
const byPath = (suffix: string) => emulator.requests.filter((r) => r.path.endsWith(suffix));
const inputsOf = (body: unknown) => (body as { inputs: Record<string, unknown>[] }).inputs;
const emails = () =>
  emulator
    .records("contacts")
    .map((r) => r.properties.email)
    .sort();

describe("HubSpot delivery: requests", () => {
  it("upserts contacts by email with the documented request shape, values as HubSpot text", async () => {
    await start();
    const outcome = await deliverHubSpotBatch(
      config(),
      batch([contact(1, { score: 42, vip: true, plan: "pro" }), contact(2, { lastname: null }, "update")]),
      options(),
    );
    expect(outcome.results).toEqual([{ status: "ok" }, { status: "ok" }]);
    expect(emulator.requests).toHaveLength(1);
    const request = emulator.requests[0];
    expect(request).toMatchObject({ method: "POST", path: "/crm/v3/objects/contacts/batch/upsert", status: 200 });
    expect(request?.headers.authorization).toBe(`Bearer ${EMULATOR_TOKEN}`);
    expect(request?.headers["content-type"]).toBe("application/json");
    expect(inputsOf(request?.body)).toEqual([
      {
        idProperty: "email",
        id: "user1@example.com",
        properties: { email: "user1@example.com", firstname: "User 1", score: "42", vip: "true", plan: "pro" },
        objectWriteTraceId: "0",
      },
      {
        idProperty: "email",
        id: "user2@example.com",
        properties: { email: "user2@example.com", firstname: "User 2", lastname: "" },
        objectWriteTraceId: "1",
      },
    ]);
    expect(emulator.records("contacts").map((r) => r.properties)).toEqual([
      expect.objectContaining({ email: "user1@example.com", score: "42", vip: "true", plan: "pro" }),
      expect.objectContaining({ email: "user2@example.com", lastname: "" }),
    ]);

    // A second run of the same rows updates the same contacts (upsert), it does not duplicate them.
    await deliverHubSpotBatch(config(), batch([contact(1, { plan: "enterprise" }, "update")]), options());
    expect(emails()).toEqual(["user1@example.com", "user2@example.com"]);
    expect(emulator.records("contacts")[0]?.properties.plan).toBe("enterprise");
  });

  it("sends at most 100 inputs per request: 250 records → 3 requests", async () => {
    await start();
    const records = Array.from({ length: 250 }, (_, i) => contact(i + 1));
    const outcome = await deliverHubSpotBatch(config(), batch(records), options());
    expect(outcome.results.every((r) => r.status === "ok")).toBe(true);
    expect(emulator.requests.map((r) => inputsOf(r.body).length).sort()).toEqual([100, 100, 50]);
    expect(outcome.attempts).toBe(3);
    expect(emulator.records("contacts")).toHaveLength(250);
  });

  it("never puts two records with the same identifier in one request", async () => {
    await start();
    const outcome = await deliverHubSpotBatch(
      config(),
      batch([
        contact(1, { firstname: "A" }),
        { ...contact(2, { firstname: "B" }), data: { email: "user1@example.com", firstname: "B" } },
      ]),
      options(),
    );
    expect(outcome.results).toEqual([{ status: "ok" }, { status: "ok" }]);
    expect(emulator.requests).toHaveLength(2);
    expect(emulator.requests.every((r) => inputsOf(r.body).length === 1)).toBe(true);
    expect(emails()).toEqual(["user1@example.com"]);
  });

  it("insert mode uses batch create; update mode reads ids by email, then updates by record id", async () => {
    await start();
    const created = await deliverHubSpotBatch(config(), batch([contact(1), contact(2)], { mode: "insert" }), options());
    expect(created.results).toEqual([{ status: "ok" }, { status: "ok" }]);
    expect(byPath("/batch/create")).toHaveLength(1);
    expect(inputsOf(byPath("/batch/create")[0]?.body)[0]).toEqual({
      properties: { email: "user1@example.com", firstname: "User 1" },
      objectWriteTraceId: "0",
    });

    const ids = Object.fromEntries(emulator.records("contacts").map((r) => [r.properties.email, r.id]));
    const updated = await deliverHubSpotBatch(
      config(),
      batch([contact(1, { firstname: "Ann" }, "update"), contact(9, {}, "update")], { mode: "update" }),
      options(),
    );
    expect(updated.results).toEqual([
      { status: "ok" },
      {
        status: "rejected",
        reason: 'no contact with email "user9@example.com" exists in HubSpot; mode "update" only changes existing records',
      },
    ]);
    const read = byPath("/batch/read");
    expect(read).toHaveLength(1);
    expect(read[0]?.body).toMatchObject({
      idProperty: "email",
      inputs: [{ id: "user1@example.com" }, { id: "user9@example.com" }],
      properties: ["email"],
    });
    expect(inputsOf(byPath("/batch/update")[0]?.body)).toEqual([
      { id: ids["user1@example.com"], properties: { email: "user1@example.com", firstname: "Ann" }, objectWriteTraceId: "0" },
    ]);
    expect(emulator.records("contacts").map((r) => r.properties.firstname)).toEqual(["Ann", "User 2"]);
    expect(emulator.records("contacts")).toHaveLength(2); // update never creates
  });

  it("mirror: upserts, and archives deletes by record id after reading the ids; a contact HubSpot lacks counts as deleted", async () => {
    await start();
    const a = emulator.seed("contacts", { email: "a@example.com" });
    emulator.seed("contacts", { email: "b@example.com" });
    const outcome = await deliverHubSpotBatch(
      config(),
      batch(
        [
          { op: "delete", key: { id: 1 }, data: { email: "a@example.com" }, idempotencyKey: "d1" },
          { op: "delete", key: { email: "gone@example.com" }, idempotencyKey: "d2" }, // no data: the key names the email
          { op: "delete", key: { id: 3 }, idempotencyKey: "d3" }, // nothing to find it by
          { op: "update", key: { id: 4 }, data: { email: "b@example.com", firstname: "Bea" }, idempotencyKey: "u4" },
          { op: "insert", key: { id: 5 }, data: { email: "c@example.com" }, idempotencyKey: "i5" },
        ],
        { mode: "mirror" },
      ),
      options(),
    );
    expect(outcome.results).toEqual([
      { status: "ok" },
      { status: "ok" },
      {
        status: "rejected",
        reason: expect.stringMatching(/cannot archive the contact: the removed row carries no "email" value/),
      },
      { status: "ok" },
      { status: "ok" },
    ]);
    expect(emulator.requests.map((r) => r.path.split("/").pop())).toEqual(["read", expect.any(String), expect.any(String)]);
    expect(inputsOf(byPath("/batch/read")[0]?.body)).toEqual([{ id: "a@example.com" }, { id: "gone@example.com" }]);
    expect(byPath("/batch/archive")[0]).toMatchObject({ status: 204, body: { inputs: [{ id: a.id }] } });
    expect(emulator.archived("contacts").map((r) => r.properties.email)).toEqual(["a@example.com"]);
    expect(emails()).toEqual(["b@example.com", "c@example.com"]);
    expect(emulator.records("contacts").find((r) => r.properties.email === "b@example.com")?.properties.firstname).toBe("Bea");
  });

  it("rejects before any request a record it cannot send, saying which field", async () => {
    await start();
    const outcome = await deliverHubSpotBatch(
      config(),
      batch([
        { op: "insert", key: { id: 1 }, data: { firstname: "No email" }, idempotencyKey: "k1" },
        contact(2, { traits: { plan: "pro" } }),
      ]),
      options(),
    );
    expect(outcome.results).toEqual([
      {
        status: "rejected",
        reason: expect.stringMatching(/no "email" value; HubSpot matches contacts on it — map a column to email/),
      },
      { status: "rejected", reason: expect.stringMatching(/field "traits" holds an object; .*flat property name/) },
    ]);
    expect(emulator.requests).toHaveLength(0);
  });

  it("companies match on the configured unique property; a non-unique one stops the run with what to set", async () => {
    await start();
    const records: DeliveryRecord[] = [
      { op: "insert", key: { id: 1 }, data: { company_key: "acme", name: "Acme", domain: "acme.test" }, idempotencyKey: "c1" },
    ];
    const outcome = await deliverHubSpotBatch(
      config({ companiesIdProperty: "company_key" }),
      batch(records, { object: "companies" }),
      options(),
    );
    expect(outcome.results).toEqual([{ status: "ok" }]);
    expect(byPath("/companies/batch/upsert")).toHaveLength(1);
    expect(emulator.records("companies").map((r) => r.properties.name)).toEqual(["Acme"]);

    const refused = deliverHubSpotBatch(config(), batch(records, { object: "companies" }), options());
    await expect(refused).rejects.toBeInstanceOf(FatalDestinationError);
    await expect(refused).rejects.toThrow(
      /refused "domain" .*set companiesIdProperty to a custom property created with "unique values" on/,
    );
  });
});

describe("HubSpot delivery: errors", () => {
  it("a refused token stops the run: check the private app token and its scopes", async () => {
    await start();
    const run = deliverHubSpotBatch(config({ accessToken: "pat-na1-wrong" }), batch([contact(1)]), options());
    await expect(run).rejects.toBeInstanceOf(FatalDestinationError);
    await expect(run).rejects.toThrow(
      /HTTP 401.*INVALID_AUTHENTICATION.*private app access token.*crm\.objects\.contacts\.write/,
    );
  });

  it("a token without the write scope stops the run naming the missing scope", async () => {
    await start({ tokens: { "pat-read-only": ["crm.objects.contacts.read", "crm.schemas.contacts.read"] } });
    const run = deliverHubSpotBatch(config({ accessToken: "pat-read-only" }), batch([contact(1)]), options());
    await expect(run).rejects.toThrow(/HTTP 403.*MISSING_SCOPES.*\(crm\.objects\.contacts\.write\).*Private Apps/);
  });

  it("maps a 207's errors to their inputs by objectWriteTraceId, with HubSpot's message and category", async () => {
    await start();
    emulator.seed("contacts", { email: "taken@example.com" });
    const outcome = await deliverHubSpotBatch(
      config(),
      batch(
        [
          contact(1),
          contact(2, { email: "not-an-email" }),
          contact(3, { favourite_colour: "blue" }),
          contact(4, { email: "taken@example.com" }),
          contact(5, { plan: "platinum" }),
          contact(6),
        ],
        { mode: "insert" },
      ),
      options(),
    );
    expect(byPath("/batch/create")).toHaveLength(1);
    expect(byPath("/batch/create")[0]?.status).toBe(207);
    expect(outcome.results).toEqual([
      { status: "ok" },
      {
        status: "rejected",
        reason:
          "HubSpot rejected the record: property values were not valid — email: Email address not-an-email is invalid (INVALID_EMAIL) [VALIDATION_ERROR]",
      },
      {
        status: "rejected",
        reason:
          'HubSpot rejected the record: property values were not valid — favourite_colour: Property "favourite_colour" does not exist (PROPERTY_DOESNT_EXIST) [VALIDATION_ERROR]',
      },
      {
        status: "rejected",
        reason: expect.stringMatching(/^HubSpot rejected the record: Contact already exists\. Existing ID: \d+ \[CONFLICT\]$/),
      },
      {
        status: "rejected",
        reason: expect.stringMatching(/plan: platinum was not one of the allowed options.*\(INVALID_OPTION\)/),
      },
      { status: "ok" },
    ]);
    expect(emails()).toEqual(["taken@example.com", "user1@example.com", "user6@example.com"]);
  });

  it("maps a 207 from batch upsert (multi-status answers) the same way", async () => {
    await start({ upsertErrors: "multi-status" });
    const outcome = await deliverHubSpotBatch(config(), batch([contact(1), contact(2, { score: "lots" })]), options());
    expect(outcome.results).toEqual([
      { status: "ok" },
      {
        status: "rejected",
        reason: expect.stringMatching(/score: lots was not a valid number\. \(INVALID_INTEGER\) \[VALIDATION_ERROR\]/),
      },
    ]);
  });

  it("a 400 for the whole batch is split until the one bad record among 100 is isolated", async () => {
    await start();
    const records = Array.from({ length: 100 }, (_, i) => contact(i + 1, i === 36 ? { email: "user37-at-example.com" } : {}));
    const outcome = await deliverHubSpotBatch(config(), batch(records), options());
    const rejected = outcome.results.flatMap((r, i) => (r.status === "rejected" ? [[i, r.reason]] : []));
    expect(rejected).toEqual([
      [
        36,
        "HubSpot rejected the record (HTTP 400): property values were not valid — email: Email address user37-at-example.com is invalid (INVALID_EMAIL) [VALIDATION_ERROR]",
      ],
    ]);
    expect(outcome.results.filter((r) => r.status === "ok")).toHaveLength(99);
    expect(emulator.records("contacts")).toHaveLength(99);
    expect(emulator.requests.length).toBeGreaterThan(2);
    expect(emulator.requests.length).toBeLessThanOrEqual(1 + 2 * Math.ceil(Math.log2(100)));
    expect(emulator.requests.every((r) => inputsOf(r.body).length <= 100)).toBe(true);
  });

  it("retries 5xx answers, and reports them as failed once the attempts are spent", async () => {
    await start();
    emulator.failNext(1, 503);
    const recovered = await deliverHubSpotBatch(config(), batch([contact(1)]), options());
    expect(recovered.results).toEqual([{ status: "ok" }]);
    expect(emulator.requests.map((r) => r.status)).toEqual([503, 200]);

    emulator.failNext(5, 500);
    const failed = await deliverHubSpotBatch(config(), batch([contact(2)]), options());
    expect(failed.results).toEqual([
      { status: "failed", reason: expect.stringMatching(/^HubSpot server error \(HTTP 500\).*after 3 attempts/) },
    ]);
  });
});

describe("HubSpot delivery: rate limits", () => {
  it("a 429 storm is waited out per Retry-After and nothing is lost", async () => {
    await start({ retryAfter: true });
    emulator.storm(300);
    const records = Array.from({ length: 150 }, (_, i) => contact(i + 1));
    const outcome = await deliverHubSpotBatch(config(), batch(records), options());
    expect(outcome.results.every((r) => r.status === "ok")).toBe(true);
    expect(emulator.records("contacts")).toHaveLength(150);
    expect(emulator.stats.stormed).toBeGreaterThan(0);
    const first429 = emulator.requests.find((r) => r.status === 429);
    const firstOk = emulator.requests.find((r) => r.status === 200);
    expect(first429?.headers).toBeDefined();
    // Retry-After: 1 (seconds) — the retry came no sooner.
    expect((firstOk?.at ?? 0) - (first429?.at ?? 0)).toBeGreaterThanOrEqual(950);
    expect(outcome.throttledMs).toBeGreaterThan(0);
  });

  it("without Retry-After, waits what the X-HubSpot-RateLimit-* headers imply (a full window when none is left)", async () => {
    // Another client used up the window: our own pacing allows more than the emulator does here.
    await start({ retryAfter: false, rateLimit: { requests: 2, windowMs: 1_000 } });
    const records = Array.from({ length: 400 }, (_, i) => contact(i + 1));
    const outcome = await deliverHubSpotBatch(config(), batch(records), options());
    expect(outcome.results.every((r) => r.status === "ok")).toBe(true);
    expect(emulator.records("contacts")).toHaveLength(400);
    expect(emulator.stats.rateLimited).toBeGreaterThan(0);
    const limited = emulator.requests.filter((r) => r.status === 429);
    const after = emulator.requests.find((r) => r.status === 200 && r.at > (limited[0]?.at ?? 0));
    expect((after?.at ?? 0) - (limited[0]?.at ?? 0)).toBeGreaterThanOrEqual(900);
  });

  it("paces requests under the configured limit per 10 seconds: none is refused for going over", async () => {
    await start({ rateLimit: { requests: 20, windowMs: 10_000 } });
    // 20 per 10 s: about one request per half second, so 6 requests take over 2 s (all inside one window).
    const records = Array.from({ length: 600 }, (_, i) => contact(i + 1));
    const outcome = await deliverHubSpotBatch(config({ requestsPer10Seconds: 20 }), batch(records), options());
    expect(outcome.results.every((r) => r.status === "ok")).toBe(true);
    expect(emulator.stats.rateLimited).toBe(0);
    const times = emulator.requests.map((r) => r.at);
    expect((times[5] ?? 0) - (times[0] ?? 0)).toBeGreaterThanOrEqual(2_000);
  });
});

describe("HubSpot delivery: what is recorded", () => {
  it("masks the token in outcome.exchanges and the request kept for the debugger", async () => {
    await start();
    emulator.failNext(1, 502);
    const outcome = await deliverHubSpotBatch(
      config(),
      batch([contact(1), { op: "delete", key: { id: 2 }, data: { email: "x@example.com" }, idempotencyKey: "d" }], {
        mode: "mirror",
      }),
      options(),
    );
    expect(outcome.exchanges?.length).toBeGreaterThanOrEqual(3);
    for (const exchange of outcome.exchanges ?? []) expect(exchange.request.headers.authorization).toBe(SECRET_MASK);
    expect(outcome.request.headers.authorization).toBe(SECRET_MASK);
    expect(JSON.stringify(outcome)).not.toContain(EMULATOR_TOKEN);
    expect(outcome.exchanges?.map((e) => e.response?.status)).toContain(502);
  });

  it("is registered as hubspot with the documented limits", () => {
    const destination = getDestination("hubspot");
    expect(destination?.contract.batch.maxRecords).toBe(100);
    expect(destination?.contract.rateLimit).toMatchObject({ requests: 190, perMs: 10_000 });
    expect(destination?.contract.idempotencyKeys).toBe(false);
    expect(destination?.secretFields).toEqual(["accessToken"]);
  });
});
