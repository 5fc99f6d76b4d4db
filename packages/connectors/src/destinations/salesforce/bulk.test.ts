import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FatalDestinationError } from "../../kit/delivery";
import { SalesforceSession } from "./auth";
import { deliverBulk, rowError } from "./bulk";
import { BULK_NULL, cellText, flattenRecord, parseCsv, parseCsvObjects, toCsv } from "./csv";
import { deliverSalesforceBatch } from "./deliver";
import { SalesforceApi } from "./rest";
import { contact, contactBatch, startTestOrg, TEST_OPTIONS, type TestOrg } from "./testing";

let org: TestOrg;
beforeEach(async () => {
  org = await startTestOrg({ bulkPollsBeforeComplete: 2 });
});
afterEach(async () => {
  await org.emulator.close();
});

const bulkConfig = (extra = {}) => org.jwtConfig({ useBulkApi: true, bulkThreshold: 5, ...extra });
const jobRequests = () => org.emulator.requests.filter((r) => r.path.startsWith("/services/data/v62.0/jobs/ingest"));
const contacts = () => org.emulator.records("Contact");

describe("Bulk API 2.0 path", () => {
  it("upserts a large batch as one ingest job and maps every result row back to its record", async () => {
    const records = [
      contact(1, { FirstName: 'Quote "me", please' }),
      contact(2, { LastName: null }), // required field missing → failed row
      contact(3, { Description: "line one\nline two" }),
      contact(4, { Email: "bad" }), // invalid email → failed row
      contact(5, { Title: null }),
      contact(6),
      contact(7, { External_Id__c: "C-6", LastName: "Second writer of c-6" }), // same external ID as record 6
    ];
    const outcome = await deliverSalesforceBatch(bulkConfig(), contactBatch(records), TEST_OPTIONS);
    expect(outcome.results).toEqual([
      { status: "ok" },
      { status: "rejected", reason: "REQUIRED_FIELD_MISSING: Required fields are missing: [LastName] (fields: LastName)" },
      { status: "ok" },
      { status: "rejected", reason: "INVALID_EMAIL_ADDRESS: Email: invalid email address: bad (fields: Email)" },
      { status: "ok" },
      { status: "ok" },
      { status: "ok" },
    ]);

    const [create, upload, close, ...rest] = jobRequests();
    expect(create).toMatchObject({ method: "POST", path: "/services/data/v62.0/jobs/ingest" });
    expect(JSON.parse(create?.body ?? "")).toEqual({
      object: "Contact",
      operation: "upsert",
      externalIdFieldName: "External_Id__c",
      contentType: "CSV",
      columnDelimiter: "COMMA",
      lineEnding: "LF",
    });
    const jobId = [...org.emulator.jobs.keys()][0];
    expect(upload).toMatchObject({ method: "PUT", path: `/services/data/v62.0/jobs/ingest/${jobId}/batches` });
    expect(upload?.headers["content-type"]).toBe("text/csv");
    expect(upload?.body.split("\n")[0]).toBe("External_Id__c,LastName,Email,FirstName,Description,Title");
    expect(upload?.body).not.toContain("\r\n");
    expect(parseCsvObjects(upload?.body ?? "").rows).toHaveLength(6); // c-6's second writer goes through collections
    expect(close).toMatchObject({ method: "PATCH", path: `/services/data/v62.0/jobs/ingest/${jobId}` });
    expect(JSON.parse(close?.body ?? "")).toEqual({ state: "UploadComplete" });
    expect(rest.map((r) => `${r.method} ${r.path.replace(`/services/data/v62.0/jobs/ingest/${jobId}`, "")}`)).toEqual([
      "GET ",
      "GET ",
      "GET ",
      "GET /successfulResults/",
      "GET /failedResults/",
    ]);
    expect(org.emulator.jobs.get(jobId as string)?.state).toBe("JobComplete");

    // What Salesforce stored: the quoted, multi-line and null values survived the CSV round trip.
    const byExt = Object.fromEntries(contacts().map((c) => [String(c.External_Id__c).toLowerCase(), c]));
    expect(Object.keys(byExt).sort()).toEqual(["c-1", "c-3", "c-5", "c-6"]);
    expect(byExt["c-1"]?.FirstName).toBe('Quote "me", please');
    expect(byExt["c-3"]?.Description).toBe("line one\nline two");
    expect(byExt["c-5"]?.Title).toBeNull();
    expect(byExt["c-6"]?.LastName).toBe("Second writer of c-6");
    expect(outcome.attempts).toBe(jobRequests().length + 1);
    expect(JSON.stringify(outcome)).not.toContain(org.emulator.requests[1]?.headers.authorization?.slice(7) ?? "none");
  });

  it("stays on collections below the threshold, and when the Bulk API is off", async () => {
    await deliverSalesforceBatch(bulkConfig(), contactBatch([contact(1), contact(2)]), TEST_OPTIONS);
    await deliverSalesforceBatch(org.jwtConfig(), contactBatch(Array.from({ length: 8 }, (_, i) => contact(i))), TEST_OPTIONS);
    expect(jobRequests()).toHaveLength(0);
    expect(contacts()).toHaveLength(8);
  });

  it("inserts with an insert job (no external ID field name)", async () => {
    const outcome = await deliverSalesforceBatch(
      bulkConfig(),
      contactBatch(
        Array.from({ length: 5 }, (_, i) => contact(i)),
        { mode: "insert" },
      ),
      TEST_OPTIONS,
    );
    expect(outcome.results.every((r) => r.status === "ok")).toBe(true);
    const spec = JSON.parse(jobRequests()[0]?.body ?? "");
    expect(spec.operation).toBe("insert");
    expect(spec.externalIdFieldName).toBeUndefined();
    expect(contacts()).toHaveLength(5);
  });

  it("fails the records of a job that fails as a whole, with Salesforce's message", async () => {
    org.emulator.failNextJob("InvalidBatch : Failed to process query: something went wrong");
    const outcome = await deliverSalesforceBatch(
      bulkConfig(),
      contactBatch(Array.from({ length: 5 }, (_, i) => contact(i))),
      TEST_OPTIONS,
    );
    expect(outcome.results).toEqual(
      Array(5).fill({
        status: "failed",
        reason:
          "Salesforce did not process this record (bulk job Failed: InvalidBatch : Failed to process query: something went wrong)",
      }),
    );
  });

  it("fails the run when the job names a field the object does not have", async () => {
    const records = Array.from({ length: 5 }, (_, i) => contact(i, { Shoe_Size__c: 42 }));
    const error = await deliverSalesforceBatch(bulkConfig(), contactBatch(records), TEST_OPTIONS).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FatalDestinationError);
    expect((error as Error).message).toBe(
      "Salesforce failed the Contact bulk job: InvalidBatch : Field name not found : Shoe_Size__c — fix the sync's mapping or create the field",
    );
  });

  it("fails the run when the external ID field cannot be used for an upsert job", async () => {
    const error = await deliverSalesforceBatch(
      bulkConfig({ externalIdFields: { Contact: "Email" } }),
      contactBatch(Array.from({ length: 5 }, (_, i) => contact(i, { Email: `u${i}@example.com` }))),
      TEST_OPTIONS,
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FatalDestinationError);
    expect((error as Error).message).toContain("does not match an External ID, Salesforce Id, or indexed field for Contact");
  });

  it("renews a session that ends while the job runs, once", async () => {
    org.emulator.expireSessions(3); // create, upload and close get through; the first poll is refused
    const outcome = await deliverSalesforceBatch(
      bulkConfig(),
      contactBatch(Array.from({ length: 6 }, (_, i) => contact(i))),
      TEST_OPTIONS,
    );
    expect(outcome.results.every((r) => r.status === "ok")).toBe(true);
    expect(org.emulator.logins).toBe(2);
    expect(contacts()).toHaveLength(6);
  });

  it("retries a poll that meets a server error", async () => {
    org.emulator.failNext(1, { status: 503, body: "", match: (r) => r.method === "GET" && r.path.includes("/jobs/ingest/") });
    const ok = await deliverSalesforceBatch(
      bulkConfig(),
      contactBatch(Array.from({ length: 5 }, (_, i) => contact(i))),
      TEST_OPTIONS,
    );
    expect(ok.results.every((r) => r.status === "ok")).toBe(true);
    expect(jobRequests().filter((r) => r.method === "GET" && !r.path.includes("Results")).length).toBe(4);
  });

  it("aborts a job that outlives the timeout and leaves its records for the next run", async () => {
    await org.emulator.close();
    org = await startTestOrg({ bulkPollsBeforeComplete: 1_000_000 });
    const config = bulkConfig();
    const session = await SalesforceSession.start(config, TEST_OPTIONS);
    const api = new SalesforceApi(session, config, { ...TEST_OPTIONS, account: "test" });
    const records = Array.from({ length: 3 }, (_, i) => contact(i));
    const target = { sobject: "Contact", externalIdField: "External_Id__c", operation: "upsert" as const };
    const results = await deliverBulk(api, { ...target, timeoutMs: 40, poll: { baseMs: 5, capMs: 10 } }, records);
    expect(results).toEqual(
      Array(3).fill({
        status: "failed",
        reason: "Salesforce did not process this record (bulk job Aborted: not finished within 0.04 s, aborted by Sluice)",
      }),
    );
    const job = [...org.emulator.jobs.values()][0];
    expect(job?.state).toBe("Aborted");
    expect(JSON.parse(jobRequests().at(-3)?.body ?? "")).toEqual({ state: "Aborted" });
    expect(contacts()).toHaveLength(0);
  });
});

describe("bulk CSV", () => {
  it("writes cells the way Bulk API 2.0 reads them", () => {
    expect(cellText(null)).toBe(BULK_NULL);
    expect(cellText("")).toBe(BULK_NULL);
    expect(cellText(undefined)).toBe("");
    expect(cellText(true)).toBe("true");
    expect(cellText(12.5)).toBe("12.5");
    expect(cellText(["A", "B"])).toBe("A;B");
    expect(flattenRecord({ Account: { External_Id__c: "a-1" }, LastName: "X", Skip: undefined })).toEqual({
      "Account.External_Id__c": "a-1",
      LastName: "X",
    });
    const csv = toCsv(
      ["a", "b", "c"],
      [
        ["1,2", 'say "hi"', "x\ny"],
        [" padded", "", "plain"],
      ],
    );
    expect(csv).toBe('a,b,c\n"1,2","say ""hi""","x\ny"\n" padded",,plain\n');
    expect(parseCsv(csv)).toEqual([
      ["a", "b", "c"],
      ["1,2", 'say "hi"', "x\ny"],
      [" padded", "", "plain"],
    ]);
    expect(parseCsv('"sf__Id","sf__Error"\r\n"","X:y:--"\r\n')).toEqual([
      ["sf__Id", "sf__Error"],
      ["", "X:y:--"],
    ]);
  });

  it("reads sf__Error into a reason, and a locked row as worth retrying", () => {
    expect(rowError("REQUIRED_FIELD_MISSING:Required fields are missing: [LastName]:LastName --")).toEqual({
      status: "rejected",
      reason: "REQUIRED_FIELD_MISSING: Required fields are missing: [LastName] (fields: LastName)",
    });
    expect(rowError("DUPLICATE_VALUE:duplicate value found: External_Id__c duplicates value on record with id: 003x:--")).toEqual(
      {
        status: "rejected",
        reason: "DUPLICATE_VALUE: duplicate value found: External_Id__c duplicates value on record with id: 003x",
      },
    );
    expect(rowError("UNABLE_TO_LOCK_ROW:unable to obtain exclusive access to this record:--")).toEqual({
      status: "failed",
      reason: "UNABLE_TO_LOCK_ROW: unable to obtain exclusive access to this record",
    });
    expect(rowError("something odd")).toEqual({ status: "rejected", reason: "something odd" });
  });
});
