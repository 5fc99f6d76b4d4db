// A Salesforce org in a node:http server, written from Salesforce's documentation (see README.md) for tests:
//   POST /services/oauth2/token   JWT bearer flow (RS256 signature checked against the connected app's public
//                                 key; iss, sub, aud, exp checked) and username-password flow; OAuth errors
//                                 as {error, error_description}.
//   /services/data/vXX.X/…        Bearer token required (401 INVALID_SESSION_ID otherwise); errors as
//                                 [{message, errorCode, fields}]; a daily request allocation after which every
//                                 call is 403 REQUEST_LIMIT_EXCEEDED; Sforce-Limit-Info on every answer.
//     sobjects/{SObject}/describe                   fields with type, nillable, createable, externalId, …
//     query?q=SELECT … FROM … WHERE f IN (…)        a small SOQL subset (what the destination sends)
//     composite/sobjects[/{SObject}/{ExtIdField}]   create (POST), update by Id (PATCH), upsert (PATCH),
//                                                   delete (DELETE ?ids=): ≤ 200 records, allOrNone, per-record
//                                                   {id, success, errors[{statusCode, message, fields}], created}
//     jobs/ingest[/{id}[/batches|/successfulResults/|/failedResults/|/unprocessedrecords/]]
//                                                   Bulk API 2.0 ingest job lifecycle with CSV results
// Records are validated like an org would: unknown fields fail the request (INVALID_FIELD), missing required
// fields, bad emails, over-long text, wrong types and duplicate unique values fail the record. Tests can
// force failures, expire sessions and read what was stored and what was received.
import { createPublicKey, randomBytes, verify } from "node:crypto";
import type http from "node:http";
import { type EmulatorServer, type ReceivedBody, startEmulatorServer } from "../../kit/testing/emulator-server";
import { BULK_NULL, parseCsvObjects, toCsv } from "./csv";

export interface EmulatorField {
  name: string;
  label?: string;
  /** Salesforce field type: string, email, phone, url, textarea, picklist, boolean, int, double, currency, date, datetime, reference, id. */
  type: string;
  length?: number;
  nillable?: boolean;
  createable?: boolean;
  updateable?: boolean;
  defaultedOnCreate?: boolean;
  externalId?: boolean;
  idLookup?: boolean;
  unique?: boolean;
}

export interface SalesforceEmulatorOptions {
  consumerKey?: string;
  consumerSecret?: string;
  username?: string;
  /** Password + security token, as the username-password flow sends it. */
  password?: string;
  /** The certificate's public key (PEM) uploaded to the connected app, for the JWT bearer flow. */
  publicKeyPem?: string;
  /** aud values accepted in JWT assertions. */
  audiences?: string[];
  /** Whether the user has approved (or been pre-authorized for) the connected app. */
  approved?: boolean;
  /** Object schemas by sObject name (default: Contact, Lead, Account with External_Id__c). */
  objects?: Record<string, EmulatorField[]>;
  /** REST requests allowed before REQUEST_LIMIT_EXCEEDED (the org's daily allocation). */
  dailyApiLimit?: number;
  /** GETs of a job's info that still answer InProgress before the job completes. */
  bulkPollsBeforeComplete?: number;
}

export interface ReceivedRequest {
  method: string;
  /** Path and query. */
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  at: number;
}

export interface ForcedFailure {
  status: number;
  body: string;
  headers?: Record<string, string>;
  /** Which requests it applies to (default: any data API request). */
  match?: (req: ReceivedRequest) => boolean;
}

type StoredRecord = Record<string, unknown> & { Id: string };

interface Job {
  id: string;
  object: string;
  operation: string;
  externalIdFieldName?: string;
  state: "Open" | "UploadComplete" | "InProgress" | "JobComplete" | "Failed" | "Aborted";
  csv?: string;
  polls: number;
  errorMessage?: string;
  processed: number;
  failed: number;
  successCsv: string;
  failedCsv: string;
  unprocessedCsv: string;
}

export interface SalesforceEmulator {
  url: string;
  close(): Promise<void>;
  /** Every request received, oldest first. */
  requests: ReceivedRequest[];
  /** Stored (not deleted) records of an sObject. */
  records(sobject: string): StoredRecord[];
  /** Adds a record as if it existed in the org; returns its Id. */
  seed(sobject: string, fields: Record<string, unknown>): string;
  /** Successful sign-ins so far. */
  logins: number;
  /** Ends every session now; `afterRequests` lets that many more data requests through first. */
  expireSessions(afterRequests?: number): void;
  /** The next `times` matching requests get this answer instead. */
  failNext(times: number, failure: ForcedFailure): void;
  /** Bulk API jobs by id. */
  jobs: Map<string, Job>;
  /** The next bulk job that completes fails as a whole with this message. */
  failNextJob(message: string): void;
  /** Data API requests counted against the daily allocation. */
  apiUsage: number;
}

const PREFIXES: Record<string, string> = { Contact: "003", Lead: "00Q", Account: "001" };

const f = (name: string, type: string, extra: Partial<EmulatorField> = {}): EmulatorField => ({
  name,
  label: name.replace(/__c$/, "").replace(/_/g, " "),
  type,
  nillable: true,
  createable: true,
  updateable: true,
  defaultedOnCreate: false,
  externalId: false,
  idLookup: false,
  unique: false,
  ...extra,
});

const SYSTEM_FIELDS = [
  f("Id", "id", { nillable: false, createable: false, updateable: false, defaultedOnCreate: true, idLookup: true }),
  f("CreatedDate", "datetime", { nillable: false, createable: false, updateable: false, defaultedOnCreate: true }),
];
const EXTERNAL_ID = f("External_Id__c", "string", { length: 255, externalId: true, unique: true, idLookup: true });

export const DEFAULT_OBJECTS: Record<string, EmulatorField[]> = {
  Contact: [
    ...SYSTEM_FIELDS,
    EXTERNAL_ID,
    f("FirstName", "string", { length: 40 }),
    f("LastName", "string", { length: 80, nillable: false }),
    f("Email", "email", { length: 80, idLookup: true }),
    f("Phone", "phone", { length: 40 }),
    f("MobilePhone", "phone", { length: 40 }),
    f("Title", "string", { length: 128 }),
    f("Department", "string", { length: 80 }),
    f("AccountId", "reference", { length: 18 }),
    f("LeadSource", "picklist", { length: 255 }),
    f("Birthdate", "date"),
    f("HasOptedOutOfEmail", "boolean", { nillable: false, defaultedOnCreate: true }),
    f("DoNotCall", "boolean", { nillable: false, defaultedOnCreate: true }),
    f("MailingStreet", "textarea", { length: 255 }),
    f("MailingCity", "string", { length: 40 }),
    f("MailingState", "string", { length: 80 }),
    f("MailingPostalCode", "string", { length: 20 }),
    f("MailingCountry", "string", { length: 80 }),
    f("Description", "textarea", { length: 32_000 }),
  ],
  Lead: [
    ...SYSTEM_FIELDS,
    EXTERNAL_ID,
    f("FirstName", "string", { length: 40 }),
    f("LastName", "string", { length: 80, nillable: false }),
    f("Company", "string", { length: 255, nillable: false }),
    f("Email", "email", { length: 80, idLookup: true }),
    f("Phone", "phone", { length: 40 }),
    f("Title", "string", { length: 128 }),
    f("Status", "picklist", { length: 255, nillable: false, defaultedOnCreate: true }),
    f("LeadSource", "picklist", { length: 255 }),
    f("Industry", "picklist", { length: 255 }),
    f("NumberOfEmployees", "int"),
    f("AnnualRevenue", "currency"),
    f("Website", "url", { length: 255 }),
    f("City", "string", { length: 40 }),
    f("Country", "string", { length: 80 }),
    f("HasOptedOutOfEmail", "boolean", { nillable: false, defaultedOnCreate: true }),
    f("Description", "textarea", { length: 32_000 }),
  ],
  Account: [
    ...SYSTEM_FIELDS,
    EXTERNAL_ID,
    f("Name", "string", { length: 255, nillable: false, idLookup: true }),
    f("Website", "url", { length: 255 }),
    f("Phone", "phone", { length: 40 }),
    f("Industry", "picklist", { length: 255 }),
    f("Type", "picklist", { length: 255 }),
    f("NumberOfEmployees", "int"),
    f("AnnualRevenue", "currency"),
    f("BillingStreet", "textarea", { length: 255 }),
    f("BillingCity", "string", { length: 40 }),
    f("BillingState", "string", { length: 80 }),
    f("BillingPostalCode", "string", { length: 20 }),
    f("BillingCountry", "string", { length: 80 }),
    f("Description", "textarea", { length: 32_000 }),
  ],
};

interface RecordError {
  statusCode: string;
  message: string;
  fields: string[];
}
class RequestError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: string,
    message: string,
  ) {
    super(message);
  }
}

export async function startSalesforceEmulator(options: SalesforceEmulatorOptions = {}): Promise<SalesforceEmulator> {
  const o = {
    consumerKey: options.consumerKey ?? "3MVG9-sluice-test-consumer-key",
    consumerSecret: options.consumerSecret ?? "sluice-test-consumer-secret",
    username: options.username ?? "integration@sluice.test",
    password: options.password ?? "hunter2SECURITYTOKEN",
    audiences: options.audiences ?? ["https://login.salesforce.com", "https://test.salesforce.com"],
    approved: options.approved ?? true,
    objects: options.objects ?? DEFAULT_OBJECTS,
    dailyApiLimit: options.dailyApiLimit ?? 100_000,
    bulkPollsBeforeComplete: options.bulkPollsBeforeComplete ?? 1,
  };
  const publicKey = options.publicKeyPem ? createPublicKey(options.publicKeyPem) : undefined;
  const store = new Map<string, Map<string, StoredRecord>>(Object.keys(o.objects).map((name) => [name, new Map()]));
  const deleted = new Set<string>();
  const tokens = new Set<string>();
  const failures: (ForcedFailure & { times: number })[] = [];
  let expireAfter: number | undefined;
  let nextJobFailure: string | undefined;
  let counter = 0;
  let url = "";
  let server: EmulatorServer | undefined;

  const emulator: SalesforceEmulator = {
    url: "",
    close: async () => {
      await server?.close();
    },
    requests: [],
    records: (sobject) => [...(store.get(sobject)?.values() ?? [])],
    seed: (sobject, fields) => {
      const record = { ...fields, Id: newId(sobject), CreatedDate: new Date().toISOString() } as StoredRecord;
      store.get(sobject)?.set(record.Id, record);
      return record.Id;
    },
    logins: 0,
    expireSessions: (afterRequests = 0) => {
      if (afterRequests <= 0) tokens.clear();
      else expireAfter = afterRequests;
    },
    failNext: (times, failure) => {
      failures.push({ ...failure, times });
    },
    jobs: new Map(),
    failNextJob: (message) => {
      nextJobFailure = message;
    },
    apiUsage: 0,
  };

  const newId = (sobject: string) => {
    counter++;
    return `${PREFIXES[sobject] ?? "a00"}Sx${String(counter).padStart(13, "0")}`;
  };
  const schema = (sobject: string): EmulatorField[] => {
    const fields = Object.hasOwn(o.objects, sobject) ? o.objects[sobject] : undefined;
    if (!fields) throw new RequestError(400, "INVALID_TYPE", `sObject type '${sobject}' is not supported.`);
    return fields;
  };
  const fieldOf = (sobject: string, name: string) => schema(sobject).find((x) => x.name.toLowerCase() === name.toLowerCase());
  const sameValue = (a: unknown, b: unknown) =>
    typeof a === "string" && typeof b === "string" ? a.toLowerCase() === b.toLowerCase() : a === b && a !== undefined;
  const live = (sobject: string) => store.get(sobject) ?? new Map<string, StoredRecord>();

  /** Checks one record's fields; throws RequestError for problems with the request as a whole. */
  const validate = (
    sobject: string,
    fields: Record<string, unknown>,
    op: "create" | "update",
    selfId?: string,
  ): RecordError[] => {
    const errors: RecordError[] = [];
    const defs = schema(sobject);
    for (const [name, value] of Object.entries(fields)) {
      const def = fieldOf(sobject, name);
      if (!def) throw new RequestError(400, "INVALID_FIELD", `No such column '${name}' on sobject of type ${sobject}`);
      if (def.name === "Id") continue;
      if ((op === "create" && !def.createable) || (op === "update" && !def.updateable)) {
        errors.push({
          statusCode: "INVALID_FIELD_FOR_INSERT_UPDATE",
          message: `Unable to create/update fields: ${def.name}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
          fields: [def.name],
        });
        continue;
      }
      if (value === null || value === undefined) continue;
      const typeError = checkType(def, value);
      if (typeError) errors.push(typeError);
      if (def.unique && value !== "") {
        const clash = [...live(sobject).values()].find((r) => r.Id !== selfId && sameValue(r[def.name], value));
        if (clash) {
          errors.push({
            statusCode: "DUPLICATE_VALUE",
            message: `duplicate value found: ${def.name} duplicates value on record with id: ${clash.Id}`,
            fields: [],
          });
        }
      }
    }
    const missing = defs
      .filter((d) => d.createable && !d.nillable && !d.defaultedOnCreate)
      .filter((d) => {
        const key = Object.keys(fields).find((k) => k.toLowerCase() === d.name.toLowerCase());
        const value = key === undefined ? undefined : fields[key];
        return op === "create"
          ? value === undefined || value === null || value === ""
          : key !== undefined && (value === null || value === "");
      })
      .map((d) => d.name);
    if (missing.length > 0) {
      errors.unshift({
        statusCode: "REQUIRED_FIELD_MISSING",
        message: `Required fields are missing: [${missing.join(", ")}]`,
        fields: missing,
      });
    }
    return errors;
  };

  const write = (sobject: string, fields: Record<string, unknown>, id?: string): string => {
    const table = live(sobject);
    const clean = Object.fromEntries(
      Object.entries(fields).map(([k, v]) => [fieldOf(sobject, k)?.name ?? k, v === "" ? null : v]),
    );
    if (id) {
      const existing = table.get(id) as StoredRecord;
      table.set(id, { ...existing, ...clean, Id: id });
      return id;
    }
    const newRecord = { ...clean, Id: newId(sobject), CreatedDate: new Date().toISOString() } as StoredRecord;
    table.set(newRecord.Id, newRecord);
    return newRecord.Id;
  };

  /** Upsert of one record on an external ID field: created flag, or the record's errors. */
  type UpsertOutcome = { errors: RecordError[] } | { id: string; created: boolean };
  const upsertOne = (sobject: string, extField: string, fields: Record<string, unknown>): UpsertOutcome => {
    const key = Object.keys(fields).find((k) => k.toLowerCase() === extField.toLowerCase());
    const value = key === undefined ? undefined : fields[key];
    if (value === undefined || value === null || value === "") {
      return { errors: [{ statusCode: "MISSING_ARGUMENT", message: `${extField} not specified`, fields: [] }] };
    }
    const matches = [...live(sobject).values()].filter((r) => sameValue(r[extField], value));
    if (matches.length > 1) {
      return {
        errors: [
          {
            statusCode: "DUPLICATE_EXTERNAL_ID",
            message: `${extField}: more than one record found for external id field: [${matches.map((m) => m.Id).join(", ")}]`,
            fields: [],
          },
        ],
      };
    }
    const existing = matches[0];
    const errors = validate(sobject, fields, existing ? "update" : "create", existing?.Id);
    if (errors.length > 0) return { errors };
    return { id: write(sobject, fields, existing?.Id), created: !existing };
  };

  const requireExternalIdField = (sobject: string, name: string) => {
    const def = fieldOf(sobject, name);
    if (!def?.externalId) {
      throw new RequestError(404, "NOT_FOUND", `Provided external ID field does not exist or is not accessible: ${name}`);
    }
    return def;
  };

  // ---- OAuth ----
  const token = (req: ReceivedRequest, res: http.ServerResponse) => {
    const form = new URLSearchParams(req.body);
    const oauthError = (error: string, description: string, status = 400) =>
      send(res, status, { error, error_description: description });
    const grant = form.get("grant_type");
    if (grant === "urn:ietf:params:oauth:grant-type:jwt-bearer") {
      const problem = checkAssertion(form.get("assertion") ?? "");
      if (problem) return oauthError(problem.error, problem.description);
    } else if (grant === "password") {
      if (form.get("client_id") !== o.consumerKey) return oauthError("invalid_client_id", "client identifier invalid");
      if (form.get("client_secret") !== o.consumerSecret) return oauthError("invalid_client", "invalid client credentials");
      if (form.get("username") !== o.username || form.get("password") !== o.password) {
        return oauthError("invalid_grant", "authentication failure");
      }
    } else {
      return oauthError("unsupported_grant_type", "grant type not supported");
    }
    const accessToken = `00DSx0000000001!${randomBytes(24).toString("base64url")}`;
    tokens.add(accessToken);
    emulator.logins++;
    send(res, 200, {
      access_token: accessToken,
      scope: "api",
      instance_url: url,
      id: `${url}/id/00DSx0000000001EAA/005Sx0000000001AAA`,
      token_type: "Bearer",
      issued_at: String(Date.now()),
    });
  };

  const checkAssertion = (assertion: string): { error: string; description: string } | undefined => {
    const parts = assertion.split(".");
    if (parts.length !== 3) return { error: "invalid_grant", description: "invalid assertion" };
    const [h = "", p = "", s = ""] = parts;
    let header: { alg?: string };
    let claims: { iss?: string; sub?: string; aud?: string | string[]; exp?: number };
    try {
      header = JSON.parse(Buffer.from(h, "base64url").toString("utf8"));
      claims = JSON.parse(Buffer.from(p, "base64url").toString("utf8"));
    } catch {
      return { error: "invalid_grant", description: "invalid assertion" };
    }
    if (claims.iss !== o.consumerKey) return { error: "invalid_client_id", description: "client identifier invalid" };
    if (header.alg !== "RS256" || !publicKey) return { error: "invalid_grant", description: "invalid assertion" };
    if (!verify("RSA-SHA256", Buffer.from(`${h}.${p}`), publicKey, Buffer.from(s, "base64url"))) {
      return { error: "invalid_grant", description: "invalid assertion" };
    }
    const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    if (!audiences.some((a) => a !== undefined && o.audiences.includes(a))) {
      return { error: "invalid_grant", description: "audience is invalid" };
    }
    const now = Math.floor(Date.now() / 1000);
    // exp must be at most 3 minutes ahead (a few seconds of clock skew tolerated).
    if (typeof claims.exp !== "number" || claims.exp < now || claims.exp > now + 185) {
      return { error: "invalid_grant", description: "expired authorization code" };
    }
    if (claims.sub !== o.username || !o.approved) {
      return { error: "invalid_grant", description: "user hasn't approved this consumer" };
    }
    return undefined;
  };

  // ---- Data API ----
  const data = (req: ReceivedRequest, res: http.ServerResponse, path: string, query: URLSearchParams, version: string) => {
    const segments = path.split("/").filter(Boolean).map(decodeURIComponent);
    const [first, second, third, fourth] = segments;
    const body = () => {
      try {
        return JSON.parse(req.body) as unknown;
      } catch {
        throw new RequestError(400, "JSON_PARSER_ERROR", "Unexpected character: was expecting a JSON value");
      }
    };
    if (first === "sobjects" && third === "describe" && req.method === "GET" && second) {
      const fields = schema(second);
      return send(res, 200, {
        name: second,
        label: second,
        createable: true,
        updateable: true,
        deletable: true,
        queryable: true,
        fields: fields.map((x) => ({
          name: x.name,
          label: x.label ?? x.name,
          type: x.type,
          length: x.length ?? 0,
          nillable: x.nillable,
          createable: x.createable,
          updateable: x.updateable,
          defaultedOnCreate: x.defaultedOnCreate,
          externalId: x.externalId,
          idLookup: x.idLookup,
          unique: x.unique,
          custom: x.name.endsWith("__c"),
          picklistValues: [],
        })),
      });
    }
    if (first === "query" && req.method === "GET") return send(res, 200, soql(query.get("q") ?? "", version));
    if (first === "composite" && second === "sobjects") {
      if (req.method === "DELETE" && !third) {
        const ids = (query.get("ids") ?? "").split(",").filter(Boolean);
        if (ids.length === 0) throw new RequestError(400, "MISSING_ARGUMENT", "ids not specified");
        capAt200(ids.length);
        return send(res, 200, ids.map(deleteOne));
      }
      const payload = body() as { allOrNone?: boolean; records?: Record<string, unknown>[] };
      const records = payload.records;
      if (!Array.isArray(records)) throw new RequestError(400, "INVALID_FIELD", "records is required");
      capAt200(records.length);
      for (const record of records) {
        const type = (record.attributes as { type?: string } | undefined)?.type;
        if (!type) throw new RequestError(400, "INVALID_TYPE", "Must send a concrete entity type.");
        if (third && type !== third) throw new RequestError(400, "INVALID_TYPE", `Record type ${type} does not match ${third}`);
        schema(type);
      }
      const fieldsOf = (record: Record<string, unknown>) => {
        const { attributes: _attributes, ...rest } = record;
        return rest;
      };
      if (req.method === "POST" && !third) {
        return send(
          res,
          200,
          records.map((record) => {
            const type = (record.attributes as { type: string }).type;
            const fields = fieldsOf(record);
            if ("id" in fields || "Id" in fields)
              return failure([{ statusCode: "INVALID_FIELD", message: "cannot specify Id in an insert call", fields: [] }]);
            const errors = validate(type, fields, "create");
            return errors.length ? failure(errors) : { id: write(type, fields), success: true, errors: [] };
          }),
        );
      }
      if (req.method === "PATCH" && !third) {
        return send(
          res,
          200,
          records.map((record) => {
            const type = (record.attributes as { type: string }).type;
            const { id, Id, ...fields } = fieldsOf(record);
            const recordId = String(id ?? Id ?? "");
            if (!recordId)
              return failure([{ statusCode: "MISSING_ARGUMENT", message: "Id not specified in an update call", fields: [] }]);
            if (deleted.has(recordId))
              return failure([{ statusCode: "ENTITY_IS_DELETED", message: "entity is deleted", fields: [] }]);
            if (!live(type).has(recordId)) {
              return failure([{ statusCode: "INVALID_CROSS_REFERENCE_KEY", message: "invalid cross reference id", fields: [] }]);
            }
            const errors = validate(type, fields, "update", recordId);
            return errors.length ? failure(errors) : { id: write(type, fields, recordId), success: true, errors: [] };
          }),
        );
      }
      if (req.method === "PATCH" && third && fourth) {
        requireExternalIdField(third, fourth);
        return send(
          res,
          200,
          records.map((record) => {
            const result = upsertOne(third, fourth, fieldsOf(record));
            return "errors" in result
              ? failure(result.errors)
              : { id: result.id, success: true, errors: [], created: result.created };
          }),
        );
      }
    }
    if (first === "jobs" && second === "ingest") return bulk(req, res, segments.slice(2), version, body);
    throw new RequestError(404, "NOT_FOUND", "The requested resource does not exist");
  };

  const capAt200 = (n: number) => {
    if (n > 200) {
      throw new RequestError(
        400,
        "EXCEEDED_ID_LIMIT",
        "record limit reached. cannot submit more than 200 records into this call",
      );
    }
  };
  const failure = (errors: RecordError[]) => ({ success: false, errors });

  const deleteOne = (id: string) => {
    if (deleted.has(id))
      return { id, success: false, errors: [{ statusCode: "ENTITY_IS_DELETED", message: "entity is deleted", fields: [] }] };
    for (const table of store.values()) {
      if (table.delete(id)) {
        deleted.add(id);
        return { id, success: true, errors: [] };
      }
    }
    return {
      id,
      success: false,
      errors: [{ statusCode: "INVALID_CROSS_REFERENCE_KEY", message: "invalid cross reference id", fields: [] }],
    };
  };

  /** SELECT a, b FROM Obj [WHERE f = v | f IN (v, …)] [LIMIT n] */
  const soql = (q: string, version: string) => {
    const m = /^\s*SELECT\s+(.+?)\s+FROM\s+(\w+)(?:\s+WHERE\s+(\w+)\s*(=|IN)\s*(.+?))?(?:\s+LIMIT\s+(\d+))?\s*$/is.exec(q);
    if (!m) throw new RequestError(400, "MALFORMED_QUERY", `unexpected token in query: ${q.slice(0, 80)}`);
    const [, select = "", sobject = "", where, op, literal, limit] = m;
    schema(sobject);
    const columns = select.split(",").map((c) => c.trim());
    for (const column of [...columns, ...(where ? [where] : [])]) {
      if (!fieldOf(sobject, column)) {
        throw new RequestError(400, "INVALID_FIELD", `No such column '${column}' on entity '${sobject}'.`);
      }
    }
    let rows = [...live(sobject).values()];
    if (where && literal) {
      const values = op?.toUpperCase() === "IN" ? parseList(literal) : [parseLiteral(literal.trim())];
      const name = fieldOf(sobject, where)?.name as string;
      rows = rows.filter((r) => values.some((v) => sameValue(r[name], v)));
    }
    if (limit) rows = rows.slice(0, Number(limit));
    const page = rows.slice(0, 2000);
    return {
      totalSize: rows.length,
      done: rows.length <= 2000,
      records: page.map((r) => ({
        attributes: { type: sobject, url: `/services/data/v${version}/sobjects/${sobject}/${r.Id}` },
        ...Object.fromEntries(
          columns.map((c) => [fieldOf(sobject, c)?.name as string, r[fieldOf(sobject, c)?.name as string] ?? null]),
        ),
      })),
    };
  };

  // ---- Bulk API 2.0 ----
  const jobInfo = (job: Job, version: string) => ({
    id: job.id,
    operation: job.operation,
    object: job.object,
    createdById: "005Sx0000000001AAA",
    createdDate: new Date().toISOString(),
    systemModstamp: new Date().toISOString(),
    state: job.state,
    ...(job.externalIdFieldName ? { externalIdFieldName: job.externalIdFieldName } : {}),
    concurrencyMode: "Parallel",
    contentType: "CSV",
    apiVersion: Number(version),
    contentUrl: `services/data/v${version}/jobs/ingest/${job.id}/batches`,
    lineEnding: "LF",
    columnDelimiter: "COMMA",
    numberRecordsProcessed: job.processed,
    numberRecordsFailed: job.failed,
    retries: 0,
    totalProcessingTime: 0,
    ...(job.errorMessage ? { errorMessage: job.errorMessage } : {}),
  });

  const bulk = (req: ReceivedRequest, res: http.ServerResponse, rest: string[], version: string, body: () => unknown) => {
    const [id, sub] = rest;
    if (!id && req.method === "POST") {
      const spec = body() as Record<string, unknown>;
      const object = String(spec.object ?? "");
      if (!Object.hasOwn(o.objects, object)) throw new RequestError(400, "INVALIDJOB", `InvalidJob : Invalid object: ${object}`);
      const operation = String(spec.operation ?? "");
      if (!["insert", "update", "upsert", "delete", "hardDelete"].includes(operation)) {
        throw new RequestError(400, "INVALIDJOB", `InvalidJob : Invalid operation: ${operation}`);
      }
      if ((spec.contentType ?? "CSV") !== "CSV")
        throw new RequestError(400, "INVALIDJOB", "InvalidJob : contentType must be CSV");
      let externalIdFieldName: string | undefined;
      if (operation === "upsert") {
        const name = String(spec.externalIdFieldName ?? "");
        if (!name) {
          throw new RequestError(
            400,
            "INVALIDJOB",
            `InvalidJob : External ID was blank for ${object}. An External ID must be specified for upsert.`,
          );
        }
        const def = fieldOf(object, name);
        if (!def?.externalId && def?.name !== "Id") {
          throw new RequestError(
            400,
            "INVALIDJOB",
            `InvalidJob : Field name provided, ${name} does not match an External ID, Salesforce Id, or indexed field for ${object}`,
          );
        }
        externalIdFieldName = def.name;
      }
      counter++;
      const job: Job = {
        id: `750Sx${String(counter).padStart(13, "0")}`,
        object,
        operation,
        ...(externalIdFieldName ? { externalIdFieldName } : {}),
        state: "Open",
        polls: 0,
        processed: 0,
        failed: 0,
        successCsv: "",
        failedCsv: "",
        unprocessedCsv: "",
      };
      emulator.jobs.set(job.id, job);
      return send(res, 200, jobInfo(job, version));
    }
    const job = id ? emulator.jobs.get(id) : undefined;
    if (!job) throw new RequestError(404, "NOT_FOUND", "The requested resource does not exist");
    if (sub === "batches" && req.method === "PUT") {
      if (job.state !== "Open") throw new RequestError(409, "INVALIDJOBSTATE", `Job is not open for uploads: ${job.state}`);
      if (!String(req.headers["content-type"] ?? "").startsWith("text/csv")) {
        throw new RequestError(400, "INVALIDJOB", "InvalidJob : Content-Type must be text/csv");
      }
      if (job.csv !== undefined) throw new RequestError(400, "INVALIDJOB", "InvalidJob : data was already uploaded for this job");
      job.csv = req.body;
      res.writeHead(201);
      return res.end();
    }
    if (!sub && req.method === "PATCH") {
      const state = (body() as { state?: string }).state;
      if (state === "UploadComplete" && job.state === "Open") job.state = "UploadComplete";
      else if (state === "Aborted" && !["JobComplete", "Failed", "Aborted"].includes(job.state)) {
        job.state = "Aborted";
        const { header, rows } = parseCsvObjects(job.csv ?? "");
        job.successCsv = toCsv(["sf__Id", "sf__Created", ...header], []);
        job.failedCsv = toCsv(["sf__Id", "sf__Error", ...header], []);
        job.unprocessedCsv = toCsv(
          header,
          rows.map((r) => header.map((h) => r[h] ?? "")),
        );
      } else throw new RequestError(400, "INVALIDJOBSTATE", `Cannot change state from ${job.state} to ${state}`);
      return send(res, 200, jobInfo(job, version));
    }
    if (!sub && req.method === "GET") {
      if (job.state === "UploadComplete" || job.state === "InProgress") {
        job.polls++;
        job.state = job.polls > o.bulkPollsBeforeComplete ? runJob(job) : "InProgress";
      }
      return send(res, 200, jobInfo(job, version));
    }
    if (req.method === "GET" && (sub === "successfulResults" || sub === "failedResults" || sub === "unprocessedrecords")) {
      if (!["JobComplete", "Failed", "Aborted"].includes(job.state)) {
        throw new RequestError(400, "INVALIDJOBSTATE", "Results are available once the job is complete");
      }
      const csv = sub === "successfulResults" ? job.successCsv : sub === "failedResults" ? job.failedCsv : job.unprocessedCsv;
      res.writeHead(200, { "content-type": "text/csv" });
      return res.end(csv);
    }
    throw new RequestError(404, "NOT_FOUND", "The requested resource does not exist");
  };

  /** Runs a job's rows the way the collections endpoints would, and writes the result files. */
  const runJob = (job: Job): Job["state"] => {
    const { header, rows } = parseCsvObjects(job.csv ?? "");
    const quoted = (names: string[]) => names.map((n) => `"${n}"`);
    const forcedFailure = nextJobFailure;
    nextJobFailure = undefined;
    const unknown = header.find((name) => !fieldOf(job.object, name.split(".")[0] ?? name));
    if (forcedFailure || unknown) {
      job.errorMessage = forcedFailure ?? `InvalidBatch : Field name not found : ${unknown}`;
      job.unprocessedCsv = toCsv(
        header,
        rows.map((r) => header.map((h) => r[h] ?? "")),
      );
      job.successCsv = `${quoted(["sf__Id", "sf__Created"]).join(",")}\n`;
      job.failedCsv = `${quoted(["sf__Id", "sf__Error"]).join(",")}\n`;
      return "Failed";
    }
    const success: string[][] = [];
    const failed: string[][] = [];
    for (const row of rows) {
      const fields: Record<string, unknown> = {};
      for (const name of header) {
        const text = row[name] ?? "";
        if (text === "") continue;
        fields[name] = text === BULK_NULL ? null : fromCsv(fieldOf(job.object, name) as EmulatorField, text);
      }
      const original = header.map((h) => row[h] ?? "");
      let result: { id?: string; created?: boolean; errors?: RecordError[] };
      try {
        if (job.operation === "upsert") result = upsertOne(job.object, job.externalIdFieldName as string, fields);
        else {
          const errors = validate(job.object, fields, "create");
          result = errors.length ? { errors } : { id: write(job.object, fields), created: true };
        }
      } catch (error) {
        const e = error as RequestError;
        result = { errors: [{ statusCode: e.errorCode ?? "UNKNOWN_EXCEPTION", message: e.message, fields: [] }] };
      }
      if (result.errors) {
        const first = result.errors[0] as RecordError;
        failed.push(["", `${first.statusCode}:${first.message}:${first.fields.join(",")} --`, ...original]);
      } else success.push([result.id as string, String(result.created), ...original]);
    }
    job.processed = rows.length;
    job.failed = failed.length;
    job.successCsv = toCsv(["sf__Id", "sf__Created", ...header], success);
    job.failedCsv = toCsv(["sf__Id", "sf__Error", ...header], failed);
    job.unprocessedCsv = toCsv(header, []);
    return "JobComplete";
  };

  const listener = (req: http.IncomingMessage, body: ReceivedBody, res: http.ServerResponse) => {
    const received: ReceivedRequest = {
      method: req.method ?? "GET",
      path: req.url ?? "/",
      headers: req.headers,
      body: body.raw.toString("utf8"),
      at: Date.now(),
    };
    emulator.requests.push(received);
    try {
      route(received, res);
    } catch (error) {
      if (error instanceof RequestError) return send(res, error.status, [{ message: error.message, errorCode: error.errorCode }]);
      send(res, 500, [{ message: String(error), errorCode: "UNKNOWN_EXCEPTION" }]);
    }
  };

  const route = (req: ReceivedRequest, res: http.ServerResponse) => {
    const parsed = new URL(req.path, "http://emulator");
    const forced = failures.find((x) => x.times > 0 && (x.match ? x.match(req) : parsed.pathname.startsWith("/services/data/")));
    if (forced) {
      forced.times--;
      res.writeHead(forced.status, { "content-type": "application/json", ...forced.headers });
      return res.end(forced.body);
    }
    if (parsed.pathname === "/services/oauth2/token" && req.method === "POST") return token(req, res);
    const m = /^\/services\/data\/v(\d+\.\d)\/(.*)$/.exec(parsed.pathname);
    if (!m) return send(res, 404, [{ message: "The requested resource does not exist", errorCode: "NOT_FOUND" }]);
    const bearer = /^Bearer (.+)$/.exec(String(req.headers.authorization ?? ""))?.[1];
    if (expireAfter !== undefined && --expireAfter < 0) {
      tokens.clear();
      expireAfter = undefined;
    }
    if (!bearer || !tokens.has(bearer)) {
      return send(res, 401, [{ message: "Session expired or invalid", errorCode: "INVALID_SESSION_ID" }]);
    }
    emulator.apiUsage++;
    res.setHeader("sforce-limit-info", `api-usage=${emulator.apiUsage}/${o.dailyApiLimit}`);
    if (emulator.apiUsage > o.dailyApiLimit) {
      return send(res, 403, [{ message: "TotalRequests Limit exceeded.", errorCode: "REQUEST_LIMIT_EXCEEDED" }]);
    }
    data(req, res, m[2] ?? "", parsed.searchParams, m[1] ?? "62.0");
  };

  server = await startEmulatorServer(listener);
  url = server.url;
  emulator.url = url;
  return emulator;
}

function send(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json;charset=UTF-8" });
  res.end(JSON.stringify(body));
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function checkType(def: EmulatorField, value: unknown): RecordError | undefined {
  const bad = (message: string, statusCode = "INVALID_TYPE_ON_FIELD_IN_RECORD"): RecordError => ({
    statusCode,
    message,
    fields: [def.name],
  });
  switch (def.type) {
    case "boolean":
      return typeof value === "boolean"
        ? undefined
        : bad(`${def.label ?? def.name}: value not of required type: ${String(value)}`);
    case "int":
    case "double":
    case "currency":
    case "percent":
      return typeof value === "number" && (def.type !== "int" || Number.isInteger(value))
        ? undefined
        : bad(`${def.label ?? def.name}: value not of required type: ${String(value)}`);
    case "date":
      return typeof value === "string" && /^\d{4}-\d{2}-\d{2}$/.test(value)
        ? undefined
        : bad(`${def.label ?? def.name}: value not of required type: ${String(value)}`);
    case "email":
      if (typeof value !== "string") return bad(`${def.label ?? def.name}: value not of required type: ${String(value)}`);
      if (!EMAIL.test(value)) return bad(`${def.label ?? def.name}: invalid email address: ${value}`, "INVALID_EMAIL_ADDRESS");
      return lengthCheck(def, value);
    default:
      if (typeof value === "object") return bad(`${def.label ?? def.name}: value not of required type: ${JSON.stringify(value)}`);
      return lengthCheck(def, String(value));
  }
}

function lengthCheck(def: EmulatorField, value: string): RecordError | undefined {
  if (def.length && value.length > def.length) {
    return {
      statusCode: "STRING_TOO_LONG",
      message: `${def.label ?? def.name}: data value too large: ${value.slice(0, 20)}… (max length=${def.length})`,
      fields: [def.name],
    };
  }
  return undefined;
}

/** A CSV cell as the field's type. */
function fromCsv(def: EmulatorField, text: string): unknown {
  if (def.type === "boolean") return text === "true" ? true : text === "false" ? false : text;
  if (["int", "double", "currency", "percent"].includes(def.type)) return Number.isNaN(Number(text)) ? text : Number(text);
  return text;
}

function parseLiteral(text: string): unknown {
  if (text.startsWith("'") && text.endsWith("'")) {
    return text.slice(1, -1).replace(/\\(.)/g, (_, c: string) => ({ n: "\n", r: "\r", t: "\t", b: "\b", f: "\f" })[c] ?? c);
  }
  if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  throw new RequestError(400, "MALFORMED_QUERY", `unexpected token: ${text.slice(0, 40)}`);
}

/** ('a', 'b\'c', 3) → values */
function parseList(text: string): unknown[] {
  const inner = /^\((.*)\)$/s.exec(text.trim())?.[1];
  if (inner === undefined) throw new RequestError(400, "MALFORMED_QUERY", "expecting a list of values");
  const values: unknown[] = [];
  const token = /\s*('(?:[^'\\]|\\.)*'|-?\d+(?:\.\d+)?)\s*(?:,|$)/gsy;
  let match: RegExpExecArray | null = token.exec(inner);
  while (match !== null) {
    values.push(parseLiteral(match[1] as string));
    if (token.lastIndex >= inner.length) break;
    match = token.exec(inner);
  }
  if (token.lastIndex < inner.length && inner.trim() !== "") {
    throw new RequestError(400, "MALFORMED_QUERY", "unexpected token in the value list");
  }
  return values;
}
