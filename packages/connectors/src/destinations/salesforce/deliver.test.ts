import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FatalDestinationError } from "../../kit/delivery";
import { getDestination } from "../../registry";
import { deliverSalesforceBatch } from "./deliver";
import type { ReceivedRequest } from "./emulator";
import { contact, contactBatch, startTestOrg, TEST_OPTIONS, type TestOrg } from "./testing";

let org: TestOrg;
beforeEach(async () => {
  org = await startTestOrg();
});
afterEach(async () => {
  await org.emulator.close();
});

const dataRequests = () => org.emulator.requests.filter((r) => r.path.startsWith("/services/data/"));
const byMethod = (method: string, path: string) => dataRequests().filter((r) => r.method === method && r.path.startsWith(path));
const contacts = () => org.emulator.records("Contact");
const UPSERT_PATH = "/services/data/v62.0/composite/sobjects/Contact/External_Id__c";
const issuedTokens = (requests: ReceivedRequest[]) =>
  requests.map((r) => /^Bearer (.+)$/.exec(String(r.headers.authorization ?? ""))?.[1]).filter((t): t is string => !!t);

describe("salesforce delivery: upsert", () => {
  it("signs in with the JWT bearer flow and upserts on the external ID field with sObject Collections", async () => {
    const outcome = await deliverSalesforceBatch(
      org.jwtConfig(),
      contactBatch([contact(1, { FirstName: "Ada" }), contact(2, {}, "update")]),
      TEST_OPTIONS,
    );
    expect(outcome.results).toEqual([{ status: "ok" }, { status: "ok" }]);
    const [tokenRequest, upsert, ...rest] = org.emulator.requests;
    expect(rest).toEqual([]);
    expect(tokenRequest).toMatchObject({ method: "POST", path: "/services/oauth2/token" });
    expect(new URLSearchParams(tokenRequest?.body).get("grant_type")).toBe("urn:ietf:params:oauth:grant-type:jwt-bearer");
    expect(upsert).toMatchObject({ method: "PATCH", path: UPSERT_PATH });
    expect(upsert?.headers.authorization).toMatch(/^Bearer 00DSx/);
    expect(upsert?.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(upsert?.body ?? "")).toEqual({
      allOrNone: false,
      records: [
        {
          attributes: { type: "Contact" },
          External_Id__c: "c-1",
          LastName: "Last 1",
          Email: "user1@example.com",
          FirstName: "Ada",
        },
        { attributes: { type: "Contact" }, External_Id__c: "c-2", LastName: "Last 2", Email: "user2@example.com" },
      ],
    });
    expect(contacts().map((c) => c.External_Id__c)).toEqual(["c-1", "c-2"]);

    // A changed row updates the same record (matched case-insensitively, as a Unique external ID is).
    const again = await deliverSalesforceBatch(
      org.jwtConfig(),
      contactBatch([contact(1, { External_Id__c: "C-1", LastName: "Lovelace" }, "update")]),
      TEST_OPTIONS,
    );
    expect(again.results).toEqual([{ status: "ok" }]);
    expect(contacts()).toHaveLength(2);
    expect(contacts().find((c) => c.LastName === "Lovelace")?.FirstName).toBe("Ada");
    expect(again.attempts).toBe(1);
    expect(again.response?.status).toBe(200);
    expect(JSON.parse(again.response?.body ?? "")).toEqual([
      { id: contacts()[0]?.Id, success: true, errors: [], created: false },
    ]);
  });

  it("packs 450 records into 3 requests of at most 200", async () => {
    const records = Array.from({ length: 450 }, (_, i) => contact(i));
    const outcome = await deliverSalesforceBatch(org.jwtConfig(), contactBatch(records), TEST_OPTIONS);
    expect(outcome.results.every((r) => r.status === "ok")).toBe(true);
    const sizes = byMethod("PATCH", UPSERT_PATH).map((r) => JSON.parse(r.body).records.length);
    expect(sizes.sort((a, b) => b - a)).toEqual([200, 200, 50]);
    expect(outcome.attempts).toBe(3);
    expect(contacts()).toHaveLength(450);
  });

  it("maps each record's errors to a rejection naming the code, message and fields", async () => {
    const outcome = await deliverSalesforceBatch(
      org.jwtConfig(),
      contactBatch([
        contact(1),
        contact(2, { LastName: null }),
        contact(3, { Email: "not-an-email" }),
        contact(4, { Title: "x".repeat(200) }),
        contact(5, { HasOptedOutOfEmail: "yes" }),
      ]),
      TEST_OPTIONS,
    );
    expect(outcome.results).toEqual([
      { status: "ok" },
      { status: "rejected", reason: "REQUIRED_FIELD_MISSING: Required fields are missing: [LastName] (fields: LastName)" },
      { status: "rejected", reason: "INVALID_EMAIL_ADDRESS: Email: invalid email address: not-an-email (fields: Email)" },
      {
        status: "rejected",
        reason: expect.stringMatching(/^STRING_TOO_LONG: Title: data value too large: .*max length=128\) \(fields: Title\)$/),
      },
      { status: "rejected", reason: expect.stringContaining("INVALID_TYPE_ON_FIELD_IN_RECORD") },
    ]);
    expect(contacts()).toHaveLength(1);
  });

  it("rejects a record without the external ID before sending anything for it", async () => {
    const outcome = await deliverSalesforceBatch(
      org.jwtConfig(),
      contactBatch([contact(1, { External_Id__c: " " }), contact(2)]),
      TEST_OPTIONS,
    );
    expect(outcome.results[0]).toEqual({
      status: "rejected",
      reason: "External_Id__c is missing: map a column to Contact.External_Id__c, the external ID Sluice matches records on",
    });
    expect(outcome.results[1]).toEqual({ status: "ok" });
    expect(JSON.parse(byMethod("PATCH", UPSERT_PATH)[0]?.body ?? "").records).toHaveLength(1);
  });

  it("uses the configured external ID field per object", async () => {
    const emulator = org.emulator;
    await emulator.close();
    org = await startTestOrg({
      objects: {
        Contact: [
          { name: "Id", type: "id", createable: false, updateable: false, nillable: false, defaultedOnCreate: true },
          {
            name: "Customer_Id__c",
            type: "string",
            length: 40,
            externalId: true,
            unique: true,
            nillable: true,
            createable: true,
            updateable: true,
          },
          { name: "LastName", type: "string", length: 80, nillable: false, createable: true, updateable: true },
        ],
      },
    });
    const outcome = await deliverSalesforceBatch(
      org.jwtConfig({ externalIdFields: { Contact: "Customer_Id__c" } }),
      contactBatch([{ op: "insert", key: { id: 1 }, data: { Customer_Id__c: "42", LastName: "X" }, idempotencyKey: "k" }]),
      TEST_OPTIONS,
    );
    expect(outcome.results).toEqual([{ status: "ok" }]);
    expect(dataRequests()[0]?.path).toBe("/services/data/v62.0/composite/sobjects/Contact/Customer_Id__c");
  });
});

describe("salesforce delivery: other modes", () => {
  it("insert creates with a collections POST; an existing external ID is a duplicate", async () => {
    await deliverSalesforceBatch(org.jwtConfig(), contactBatch([contact(1)]), TEST_OPTIONS);
    const outcome = await deliverSalesforceBatch(
      org.jwtConfig(),
      contactBatch([contact(1), contact(2)], { mode: "insert" }),
      TEST_OPTIONS,
    );
    const post = byMethod("POST", "/services/data/v62.0/composite/sobjects");
    expect(post).toHaveLength(1);
    expect(post[0]?.path).toBe("/services/data/v62.0/composite/sobjects");
    expect(JSON.parse(post[0]?.body ?? "").allOrNone).toBe(false);
    expect(outcome.results[0]).toEqual({
      status: "rejected",
      reason: `DUPLICATE_VALUE: duplicate value found: External_Id__c duplicates value on record with id: ${contacts()[0]?.Id}`,
    });
    expect(outcome.results[1]).toEqual({ status: "ok" });
    expect(contacts()).toHaveLength(2);
  });

  it("update looks the Ids up by external ID and updates by Id, never creating", async () => {
    const id = org.emulator.seed("Contact", { External_Id__c: "c-1", LastName: "Old" });
    const outcome = await deliverSalesforceBatch(
      org.jwtConfig(),
      contactBatch([contact(1, { LastName: "New" }, "update"), contact(2, {}, "update")], { mode: "update" }),
      TEST_OPTIONS,
    );
    expect(outcome.results).toEqual([
      { status: "ok" },
      {
        status: "rejected",
        reason: 'no Contact has External_Id__c = "c-2"; update mode only changes existing records',
      },
    ]);
    const [query, update] = dataRequests();
    expect(query?.method).toBe("GET");
    expect(decodeURIComponent(query?.path.split("q=")[1] ?? "")).toBe(
      "SELECT Id, External_Id__c FROM Contact WHERE External_Id__c IN ('c-1', 'c-2')",
    );
    expect(update).toMatchObject({ method: "PATCH", path: "/services/data/v62.0/composite/sobjects" });
    expect(JSON.parse(update?.body ?? "").records).toEqual([
      { attributes: { type: "Contact" }, External_Id__c: "c-1", LastName: "New", Email: "user1@example.com", id },
    ]);
    expect(contacts()).toHaveLength(1);
    expect(contacts()[0]?.LastName).toBe("New");
  });

  it("mirror deletes by looked-up Id; a record already gone counts as deleted", async () => {
    await deliverSalesforceBatch(org.jwtConfig(), contactBatch([contact(1), contact(2), contact(3)]), TEST_OPTIONS);
    org.emulator.requests.length = 0;
    const outcome = await deliverSalesforceBatch(
      org.jwtConfig(),
      contactBatch(
        [
          contact(1, {}, "delete"),
          contact(9, {}, "delete"), // never synced / deleted by hand: nothing to do
          { op: "delete", key: { id: 7 }, idempotencyKey: "k7" }, // no last synced fields
          contact(4, {}, "insert"),
          contact(2, { LastName: "Still here" }, "update"),
        ],
        { mode: "mirror" },
      ),
      TEST_OPTIONS,
    );
    expect(outcome.results).toEqual([
      { status: "ok" },
      { status: "ok" },
      {
        status: "rejected",
        reason: "no External_Id__c among the record's last synced fields, so the Contact record to delete cannot be found",
      },
      { status: "ok" },
      { status: "ok" },
    ]);
    const requests = dataRequests();
    expect(requests.map((r) => r.method)).toEqual(["GET", "DELETE", "PATCH"]);
    expect(requests[1]?.path).toMatch(/^\/services\/data\/v62\.0\/composite\/sobjects\?ids=003Sx\d{13}&allOrNone=false$/);
    expect(
      contacts()
        .map((c) => c.External_Id__c)
        .sort(),
    ).toEqual(["c-2", "c-3", "c-4"]);

    // Deleting again: the lookup finds nothing, so nothing is sent and the record counts as deleted.
    const again = await deliverSalesforceBatch(
      org.jwtConfig(),
      contactBatch([contact(1, {}, "delete")], { mode: "mirror" }),
      TEST_OPTIONS,
    );
    expect(again.results).toEqual([{ status: "ok" }]);
    expect(dataRequests().filter((r) => r.method === "DELETE")).toHaveLength(1);
  });

  it("treats ENTITY_IS_DELETED from a delete as done", async () => {
    await deliverSalesforceBatch(org.jwtConfig(), contactBatch([contact(1)]), TEST_OPTIONS);
    const id = contacts()[0]?.Id;
    // Someone deletes it between Sluice's lookup and its delete.
    org.emulator.failNext(1, {
      status: 200,
      body: JSON.stringify([
        { id, success: false, errors: [{ statusCode: "ENTITY_IS_DELETED", message: "entity is deleted", fields: [] }] },
      ]),
      match: (r) => r.method === "DELETE",
    });
    const outcome = await deliverSalesforceBatch(
      org.jwtConfig(),
      contactBatch([contact(1, {}, "delete")], { mode: "mirror" }),
      TEST_OPTIONS,
    );
    expect(outcome.results).toEqual([{ status: "ok" }]);
  });
});

describe("salesforce delivery: sessions, limits and failures", () => {
  it("renews an expired session once and re-sends only the refused records", async () => {
    org.emulator.expireSessions(1);
    const records = Array.from({ length: 450 }, (_, i) => contact(i));
    const outcome = await deliverSalesforceBatch(org.jwtConfig(), contactBatch(records), TEST_OPTIONS);
    expect(outcome.results.every((r) => r.status === "ok")).toBe(true);
    expect(org.emulator.logins).toBe(2);
    expect(contacts()).toHaveLength(450);
    // The first request got through before the session ended; only the records of the refused ones are re-sent.
    const upserts = byMethod("PATCH", UPSERT_PATH);
    const [first, second] = issuedTokens(org.emulator.requests.filter((r) => r.path === UPSERT_PATH)).filter(
      (t, i, all) => all.indexOf(t) === i,
    );
    const sentWith = (token: string | undefined) =>
      upserts
        .filter((r) => r.headers.authorization === `Bearer ${token}`)
        .map((r) => JSON.parse(r.body).records.length as number);
    const sum = (sizes: number[]) => sizes.reduce((a, b) => a + b, 0);
    const [passed = 0, ...refused] = sentWith(first);
    expect(passed).toBeGreaterThan(0);
    expect(sum(refused)).toBe(450 - passed);
    expect(sum(sentWith(second))).toBe(450 - passed);
  });

  it("fails the run when the renewed session is refused too", async () => {
    org.emulator.failNext(10, {
      status: 401,
      body: JSON.stringify([{ message: "Session expired or invalid", errorCode: "INVALID_SESSION_ID" }]),
    });
    const error = await deliverSalesforceBatch(org.jwtConfig(), contactBatch([contact(1)]), TEST_OPTIONS).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(FatalDestinationError);
    expect((error as Error).message).toContain("Salesforce refused a freshly issued session");
    expect(org.emulator.logins).toBe(2);
  });

  it("waits out REQUEST_LIMIT_EXCEEDED and delivers", async () => {
    org.emulator.failNext(1, {
      status: 403,
      body: JSON.stringify([{ message: "TotalRequests Limit exceeded.", errorCode: "REQUEST_LIMIT_EXCEEDED" }]),
    });
    const outcome = await deliverSalesforceBatch(org.jwtConfig(), contactBatch([contact(1)]), TEST_OPTIONS);
    expect(outcome.results).toEqual([{ status: "ok" }]);
    expect(outcome.attempts).toBe(2);
    expect(outcome.throttledMs).toBeGreaterThanOrEqual(0);
  });

  it("leaves records for the next run when the org's daily allocation is spent", async () => {
    await org.emulator.close();
    org = await startTestOrg({ dailyApiLimit: 1 });
    await deliverSalesforceBatch(org.jwtConfig(), contactBatch([contact(1)]), TEST_OPTIONS);
    const outcome = await deliverSalesforceBatch(org.jwtConfig(), contactBatch([contact(2)]), {
      ...TEST_OPTIONS,
      rateLimitPatienceMs: 50,
    });
    expect(outcome.results[0]).toMatchObject({
      status: "failed",
      reason: expect.stringContaining(
        "Salesforce API request limit exceeded (REQUEST_LIMIT_EXCEEDED: TotalRequests Limit exceeded.)",
      ),
    });
    expect(outcome.response?.status).toBe(403);
  });

  it("honours Retry-After on a 503", async () => {
    org.emulator.failNext(1, { status: 503, body: "", headers: { "retry-after": "1" } });
    const outcome = await deliverSalesforceBatch(org.jwtConfig(), contactBatch([contact(1)]), TEST_OPTIONS);
    expect(outcome.results).toEqual([{ status: "ok" }]);
    const [refused, accepted] = byMethod("PATCH", UPSERT_PATH);
    expect((accepted?.at ?? 0) - (refused?.at ?? 0)).toBeGreaterThanOrEqual(950);
  });

  it("retries server errors, then fails the records with the last reason", async () => {
    org.emulator.failNext(1, { status: 503, body: "" });
    expect((await deliverSalesforceBatch(org.jwtConfig(), contactBatch([contact(1)]), TEST_OPTIONS)).results).toEqual([
      { status: "ok" },
    ]);
    org.emulator.failNext(3, {
      status: 500,
      body: JSON.stringify([{ message: "An unexpected error occurred.", errorCode: "UNKNOWN_EXCEPTION" }]),
    });
    const outcome = await deliverSalesforceBatch(org.jwtConfig(), contactBatch([contact(2)]), TEST_OPTIONS);
    expect(outcome.results).toEqual([
      {
        status: "failed",
        reason: "Salesforce server error (HTTP 500): UNKNOWN_EXCEPTION: An unexpected error occurred. (after 3 attempts)",
      },
    ]);
  });

  it("fails the run on a mapped field the object does not have, naming it", async () => {
    const error = await deliverSalesforceBatch(
      org.jwtConfig(),
      contactBatch([contact(1, { Favourite_Color__c: "blue" }), contact(2, { Favourite_Color__c: "red" })]),
      TEST_OPTIONS,
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FatalDestinationError);
    expect((error as Error).message).toBe(
      "Salesforce refused the upsert of Contact records: INVALID_FIELD: No such column 'Favourite_Color__c' on sobject of type Contact — fix the sync's mapping or the external ID field setting, or create the field in Salesforce",
    );
  });

  it("fails the run when the external ID field is not an External ID", async () => {
    const error = await deliverSalesforceBatch(
      org.jwtConfig({ externalIdFields: { Contact: "Email" } }),
      contactBatch([contact(1)]),
      TEST_OPTIONS,
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FatalDestinationError);
    expect((error as Error).message).toBe(
      "Salesforce refused the upsert of Contact records: NOT_FOUND: Provided external ID field does not exist or is not accessible: Email — set externalIdFields to a field of the object that is marked External ID",
    );
  });

  it("refuses an object it does not know", async () => {
    await expect(
      deliverSalesforceBatch(org.jwtConfig(), contactBatch([contact(1)], { object: "opportunities" }), TEST_OPTIONS),
    ).rejects.toThrow('Salesforce has no object "opportunities" in Sluice (it writes: contacts, leads, accounts)');
  });

  it("writes leads and accounts too", async () => {
    const lead = { op: "insert" as const, key: { id: 1 }, data: { External_Id__c: "l-1", LastName: "L" }, idempotencyKey: "k" };
    const outcome = await deliverSalesforceBatch(org.jwtConfig(), contactBatch([lead], { object: "leads" }), TEST_OPTIONS);
    expect(outcome.results).toEqual([
      { status: "rejected", reason: "REQUIRED_FIELD_MISSING: Required fields are missing: [Company] (fields: Company)" },
    ]);
    const account = { op: "insert" as const, key: { id: 1 }, data: { External_Id__c: "a-1", Name: "Acme" }, idempotencyKey: "k" };
    expect(
      (await deliverSalesforceBatch(org.jwtConfig(), contactBatch([account], { object: "accounts" }), TEST_OPTIONS)).results,
    ).toEqual([{ status: "ok" }]);
    expect(org.emulator.records("Account")[0]?.Id).toMatch(/^001/);
  });
});

describe("salesforce delivery: secrets", () => {
  const secretsIn = (text: string, secrets: string[]) => secrets.filter((s) => text.includes(s));

  it("keeps tokens, the private key and the password out of outcomes and errors", async () => {
    const jwt = org.jwtConfig();
    const password = org.passwordConfig();
    const keyBody = org.keys.privateKeyPem.split("\n")[1] ?? "";
    org.emulator.expireSessions(1);
    const outcomes = [
      await deliverSalesforceBatch(jwt, contactBatch(Array.from({ length: 250 }, (_, i) => contact(i))), TEST_OPTIONS),
      await deliverSalesforceBatch(password, contactBatch([contact(1, { LastName: null })]), TEST_OPTIONS),
    ];
    const assertion = new URLSearchParams(org.emulator.requests[0]?.body).get("assertion") ?? "";
    const secrets = [
      keyBody,
      assertion,
      "hunter2SECURITYTOKEN",
      "sluice-test-consumer-secret",
      ...issuedTokens(org.emulator.requests),
    ];
    expect(secrets.length).toBeGreaterThan(5);
    for (const outcome of outcomes) {
      const recorded = JSON.stringify(outcome);
      expect(secretsIn(recorded, secrets)).toEqual([]);
      expect(outcome.request.headers.authorization).toBe("••••••••");
      expect(outcome.exchanges?.length).toBeGreaterThan(0);
    }
    const bad = await deliverSalesforceBatch(
      org.passwordConfig({ password: "wrong-secret-pw" }),
      contactBatch([contact(1)]),
      TEST_OPTIONS,
    ).then(
      () => new Error("delivered"),
      (e: unknown) => e as Error,
    );
    expect(bad).toBeInstanceOf(FatalDestinationError);
    expect(secretsIn(`${bad.message} ${bad.stack}`, [...secrets, "wrong-secret-pw"])).toEqual([]);
  });
});

describe("salesforce driver", () => {
  it("is registered, reads 2000 records a batch, or a bulk job's worth when the Bulk API is on", () => {
    const driver = getDestination("salesforce")?.driver;
    expect(driver?.maxBatchRecords(org.jwtConfig())).toBe(2000);
    expect(driver?.maxBatchRecords(org.jwtConfig({ useBulkApi: true }))).toBe(10_000);
    expect(driver?.maxBatchRecords(org.jwtConfig({ useBulkApi: true, bulkThreshold: 50 }))).toBe(2000);
    expect(getDestination("salesforce")?.secretFields).toEqual(["privateKey", "clientSecret", "password"]);
  });
});
