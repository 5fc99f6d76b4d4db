// A HubSpot CRM v3 emulator for tests: a real node:http server that behaves the way HubSpot's docs say
// (links in README.md), so delivery is tested against the documented contract instead of a stub.
//   - Bearer auth against known private app tokens (401 INVALID_AUTHENTICATION), scopes per endpoint
//     (403 MISSING_SCOPES naming the scope).
//   - Contacts and companies: batch create / update / upsert / read / archive, at most 100 inputs
//     (400 beyond). Property values are checked against a property registry (unknown and read-only
//     properties, invalid emails, numbers, booleans, dates, enumeration options) and unique values.
//   - Errors in HubSpot's shape {status, message, correlationId, category, errors[], context}; batch create
//     and update answer 207 multi-status with per-input errors naming each input's objectWriteTraceId;
//     batch upsert answers 400 for the whole batch (or 207, `upsertErrors: "multi-status"`); batch read
//     answers 207 with OBJECT_NOT_FOUND listing the ids it does not have; archive answers 204.
//   - GET /crm/v3/properties/{object}; POST /oauth/v2/private-apps/get/access-token-info.
//   - A rolling-window rate limit per token (default 190 per 10 s) with X-HubSpot-RateLimit-* headers and
//     429 {errorType: RATE_LIMIT, policyName: TEN_SECONDLY_ROLLING} (+ Retry-After unless turned off); a
//     forced 429 storm; forced 5xx. Every request is recorded with its arrival time.
import { randomUUID } from "node:crypto";
import type http from "node:http";
import { startEmulatorServer } from "../../kit/testing/emulator-server";

export type EmulatedObject = "contacts" | "companies";
const OBJECTS: readonly EmulatedObject[] = ["contacts", "companies"];
const OBJECT_TYPE_IDS: Record<EmulatedObject, string> = { contacts: "0-1", companies: "0-2" };
const OBJECT_NAMES: Record<EmulatedObject, string> = { contacts: "CONTACT", companies: "COMPANY" };
const BATCH_LIMIT = 100;

export interface PropertyDefinition {
  name: string;
  label: string;
  type: "string" | "number" | "bool" | "date" | "datetime" | "enumeration" | "phone_number";
  fieldType?: string;
  description?: string;
  options?: { label: string; value: string }[];
  hasUniqueValue?: boolean;
  readOnlyValue?: boolean;
  hidden?: boolean;
  calculated?: boolean;
}

export interface StoredRecord {
  id: string;
  properties: Record<string, string>;
  createdAt: string;
  updatedAt: string;
  archived: boolean;
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: unknown;
  /** Arrival time, epoch ms. */
  at: number;
  status: number;
}

export interface HubSpotEmulatorOptions {
  /** Accepted private app tokens → their scopes. Default: one token, EMULATOR_TOKEN, with every scope. */
  tokens?: Record<string, string[]>;
  /** Requests allowed per token in any rolling window. Default 190 per 10 000 ms (Professional/Enterprise). */
  rateLimit?: { requests: number; windowMs: number };
  /** Send Retry-After (seconds) with 429s. Default true; HubSpot documents it for some 429s only. */
  retryAfter?: boolean;
  /** Properties added to the default registry of each object (custom properties). */
  properties?: Partial<Record<EmulatedObject, PropertyDefinition[]>>;
  /** How batch upsert reports invalid inputs: 400 for the whole batch (default) or 207 per input. */
  upsertErrors?: "batch" | "multi-status";
  hubId?: number;
}

export interface HubSpotEmulator {
  url: string;
  requests: RecordedRequest[];
  stats: {
    /** 429s returned because a token went over the rate limit (not the forced storm). */
    rateLimited: number;
    /** 429s returned by a forced storm. */
    stormed: number;
    /** Most requests one token had in any window. */
    maxInWindow: number;
  };
  /** Live (not archived) records of an object, oldest first. */
  records(object: EmulatedObject): StoredRecord[];
  archived(object: EmulatedObject): StoredRecord[];
  seed(object: EmulatedObject, properties: Record<string, string>): StoredRecord;
  /** Every request answers 429 for `ms`. */
  storm(ms: number): void;
  /** Every request answers 429 for `ms` from the next request on (so a slow client cannot miss it). */
  stormFromNextRequest(ms: number): void;
  /** The next `count` requests answer `status` (a 5xx by default). */
  failNext(count: number, status?: number): void;
  close(): Promise<void>;
}

export const EMULATOR_TOKEN = "pat-na1-emulator-token-0000";
export const ALL_SCOPES = OBJECTS.flatMap((o) => [`crm.objects.${o}.read`, `crm.objects.${o}.write`, `crm.schemas.${o}.read`]);

const LIFECYCLE = [
  "subscriber",
  "lead",
  "marketingqualifiedlead",
  "salesqualifiedlead",
  "opportunity",
  "customer",
  "evangelist",
  "other",
];
const options = (values: string[]) => values.map((value) => ({ label: value, value }));

const DEFAULT_PROPERTIES: Record<EmulatedObject, PropertyDefinition[]> = {
  contacts: [
    // HubSpot deduplicates contacts by email; it is the documented upsert key though not a "unique value" property.
    { name: "email", label: "Email", type: "string", fieldType: "text" },
    { name: "firstname", label: "First Name", type: "string", fieldType: "text" },
    { name: "lastname", label: "Last Name", type: "string", fieldType: "text" },
    { name: "phone", label: "Phone Number", type: "string", fieldType: "phonenumber" },
    { name: "company", label: "Company Name", type: "string", fieldType: "text" },
    { name: "jobtitle", label: "Job Title", type: "string", fieldType: "text" },
    { name: "website", label: "Website URL", type: "string", fieldType: "text" },
    { name: "lifecyclestage", label: "Lifecycle Stage", type: "enumeration", fieldType: "radio", options: options(LIFECYCLE) },
    { name: "hs_object_id", label: "Record ID", type: "number", fieldType: "number", readOnlyValue: true },
    { name: "createdate", label: "Create Date", type: "datetime", fieldType: "date", readOnlyValue: true },
    { name: "lastmodifieddate", label: "Last Modified Date", type: "datetime", fieldType: "date", readOnlyValue: true },
  ],
  companies: [
    { name: "name", label: "Company name", type: "string", fieldType: "text" },
    // Companies are not deduplicated by domain through the API (a property value, not a unique key).
    { name: "domain", label: "Company Domain Name", type: "string", fieldType: "text" },
    { name: "phone", label: "Phone Number", type: "string", fieldType: "phonenumber" },
    { name: "city", label: "City", type: "string", fieldType: "text" },
    { name: "country", label: "Country/Region", type: "string", fieldType: "text" },
    { name: "industry", label: "Industry", type: "string", fieldType: "text" },
    { name: "numberofemployees", label: "Number of Employees", type: "number", fieldType: "number" },
    { name: "annualrevenue", label: "Annual Revenue", type: "number", fieldType: "number" },
    { name: "lifecyclestage", label: "Lifecycle Stage", type: "enumeration", fieldType: "radio", options: options(LIFECYCLE) },
    { name: "hs_object_id", label: "Record ID", type: "number", fieldType: "number", readOnlyValue: true },
    { name: "createdate", label: "Create Date", type: "datetime", fieldType: "date", readOnlyValue: true },
    { name: "hs_lastmodifieddate", label: "Last Modified Date", type: "datetime", fieldType: "date", readOnlyValue: true },
  ],
};

interface Answer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

interface InputError {
  isValid: false;
  message: string;
  error: string;
  name: string;
}

/** A per-input failure: HubSpot's error object before `context` is added. */
interface Failure {
  category: string;
  message: string;
}

export async function startHubSpotEmulator(o: HubSpotEmulatorOptions = {}): Promise<HubSpotEmulator> {
  const tokens = o.tokens ?? { [EMULATOR_TOKEN]: ALL_SCOPES };
  const limit = o.rateLimit ?? { requests: 190, windowMs: 10_000 };
  const sendRetryAfter = o.retryAfter ?? true;
  const upsertErrors = o.upsertErrors ?? "batch";
  const hubId = o.hubId ?? 4_242_424;
  const registry = new Map<EmulatedObject, Map<string, PropertyDefinition>>(
    OBJECTS.map((object) => [
      object,
      new Map([...DEFAULT_PROPERTIES[object], ...(o.properties?.[object] ?? [])].map((p) => [p.name, p])),
    ]),
  );
  const store = new Map<EmulatedObject, Map<string, StoredRecord>>(OBJECTS.map((object) => [object, new Map()]));
  const archivedStore = new Map<EmulatedObject, StoredRecord[]>(OBJECTS.map((object) => [object, []]));
  let nextId = 1001;
  const windows = new Map<string, number[]>();
  const requests: RecordedRequest[] = [];
  const stats = { rateLimited: 0, stormed: 0, maxInWindow: 0 };
  let stormUntil = 0;
  let pendingStormMs: number | undefined;
  let forced: { count: number; status: number } = { count: 0, status: 503 };

  const now = () => new Date().toISOString();
  const error = (status: number, category: string, message: string, extra: Record<string, unknown> = {}): Answer => ({
    status,
    body: { status: "error", message, correlationId: randomUUID(), category, ...extra },
  });

  const create = (object: EmulatedObject, properties: Record<string, string>): StoredRecord => {
    const id = String(nextId++);
    const at = now();
    const record: StoredRecord = {
      id,
      properties: { ...properties, hs_object_id: id, createdate: at, [modifiedProperty(object)]: at },
      createdAt: at,
      updatedAt: at,
      archived: false,
    };
    store.get(object)?.set(id, record);
    return record;
  };

  const update = (object: EmulatedObject, record: StoredRecord, properties: Record<string, string>) => {
    const at = now();
    Object.assign(record.properties, properties, { [modifiedProperty(object)]: at });
    record.updatedAt = at;
  };

  const findBy = (object: EmulatedObject, property: string, value: string): StoredRecord | undefined => {
    for (const record of store.get(object)?.values() ?? []) if (record.properties[property] === value) return record;
    return undefined;
  };

  const uniqueProperties = (object: EmulatedObject): string[] => {
    const names = [...(registry.get(object)?.values() ?? [])].filter((p) => p.hasUniqueValue).map((p) => p.name);
    return object === "contacts" ? ["email", ...names] : names;
  };

  /** Property value problems of one input, HubSpot's validation-result shape. */
  const validate = (object: EmulatedObject, properties: unknown): InputError[] => {
    if (typeof properties !== "object" || properties === null || Array.isArray(properties)) {
      return [{ isValid: false, message: "properties must be an object", error: "INVALID_INPUT", name: "properties" }];
    }
    const problems: InputError[] = [];
    for (const [name, raw] of Object.entries(properties as Record<string, unknown>)) {
      const definition = registry.get(object)?.get(name);
      const fail = (message: string, code: string) => problems.push({ isValid: false, message, error: code, name });
      if (!definition) {
        fail(`Property "${name}" does not exist`, "PROPERTY_DOESNT_EXIST");
        continue;
      }
      if (definition.readOnlyValue) {
        fail(`"${name}" is a read only property; its value cannot be set.`, "READ_ONLY_VALUE");
        continue;
      }
      if (typeof raw !== "string" && typeof raw !== "number" && typeof raw !== "boolean") {
        fail(`${JSON.stringify(raw)} is not a valid value for ${name}`, "INVALID_INPUT");
        continue;
      }
      const value = String(raw);
      if (value === "") continue; // clears the property
      const problem = valueProblem(object, definition, value);
      if (problem) fail(problem.message, problem.code);
    }
    return problems;
  };

  const invalid = (problems: InputError[]): Failure => ({
    category: "VALIDATION_ERROR",
    message: `Property values were not valid: ${JSON.stringify(problems)}`,
  });

  /** A unique value another record already holds. */
  const conflict = (object: EmulatedObject, properties: Record<string, string>, self?: StoredRecord): Failure | undefined => {
    for (const name of uniqueProperties(object)) {
      const value = properties[name];
      if (!value) continue;
      const other = findBy(object, name, value);
      if (other && other !== self) {
        return {
          category: "CONFLICT",
          message:
            object === "contacts" && name === "email"
              ? `Contact already exists. Existing ID: ${other.id}`
              : `A ${OBJECT_NAMES[object].toLowerCase()} with ${name} "${value}" already exists. Existing ID: ${other.id}`,
        };
      }
    }
    return undefined;
  };

  /** Why `idProperty` cannot identify records of `object` (HubSpot matches only on unique values). */
  const idPropertyProblem = (object: EmulatedObject, idProperty: string, allowEmail: boolean): Answer | undefined => {
    const definition = registry.get(object)?.get(idProperty);
    if (!definition) return error(400, "VALIDATION_ERROR", `Property "${idProperty}" does not exist`);
    const unique = definition.hasUniqueValue || (allowEmail && object === "contacts" && idProperty === "email");
    if (!unique) {
      return error(
        400,
        "VALIDATION_ERROR",
        `Unable to perform update/upsert by non-unique ${OBJECT_TYPE_IDS[object]} property ${idProperty} in portal ID ${hubId}`,
      );
    }
    return undefined;
  };

  const toWire = (record: StoredRecord, extra: Record<string, unknown> = {}) => ({
    id: record.id,
    properties: { ...record.properties },
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    archived: record.archived,
    ...extra,
  });

  const batchAnswer = (okStatus: number, results: unknown[], errors: Record<string, unknown>[]): Answer => {
    const at = now();
    return {
      status: errors.length > 0 ? 207 : okStatus,
      body: {
        status: "COMPLETE",
        results,
        ...(errors.length > 0 ? { numErrors: errors.length, errors } : {}),
        startedAt: at,
        completedAt: at,
      },
    };
  };

  const perInputError = (failure: Failure, context: Record<string, string[]>) => ({
    status: "error",
    category: failure.category,
    message: failure.message,
    context,
  });

  // ---- endpoints ----------------------------------------------------------------------------------

  const batchCreate = (object: EmulatedObject, inputs: Record<string, unknown>[]): Answer => {
    // Multi-status is on when every input carries an objectWriteTraceId (documented for batch create).
    const multiStatus = inputs.length > 0 && inputs.every((i) => typeof i.objectWriteTraceId === "string");
    const planned: { input: Record<string, unknown>; properties: Record<string, string>; failure?: Failure }[] = [];
    const claimed = new Map<string, string>();
    for (const input of inputs) {
      const problems = validate(object, input.properties);
      const properties = stringProperties(input.properties);
      let failure: Failure | undefined = problems.length > 0 ? invalid(problems) : conflict(object, properties);
      if (!failure) failure = claimInBatch(object, properties, claimed, uniqueProperties(object));
      planned.push({ input, properties, ...(failure ? { failure } : {}) });
    }
    const firstFailure = planned.find((p) => p.failure)?.failure;
    if (!multiStatus && firstFailure)
      return error(firstFailure.category === "CONFLICT" ? 409 : 400, firstFailure.category, firstFailure.message);
    const results: unknown[] = [];
    const errors: Record<string, unknown>[] = [];
    for (const p of planned) {
      if (p.failure) errors.push(perInputError(p.failure, { objectWriteTraceId: [String(p.input.objectWriteTraceId)] }));
      else results.push(toWire(create(object, p.properties)));
    }
    return batchAnswer(201, results, errors);
  };

  const batchUpdate = (object: EmulatedObject, inputs: Record<string, unknown>[]): Answer => {
    for (const input of inputs) {
      if (typeof input.idProperty === "string") {
        // Batch update matches only on unique-value properties; contacts' email is refused here.
        const problem = idPropertyProblem(object, input.idProperty, false);
        if (problem) return problem;
      }
    }
    const results: unknown[] = [];
    const errors: Record<string, unknown>[] = [];
    for (const input of inputs) {
      const id = String(input.id ?? "");
      const trace: Record<string, string[]> =
        typeof input.objectWriteTraceId === "string" ? { objectWriteTraceId: [input.objectWriteTraceId] } : {};
      const record = typeof input.idProperty === "string" ? findBy(object, input.idProperty, id) : store.get(object)?.get(id);
      if (!record) {
        errors.push(
          perInputError(
            {
              category: "OBJECT_NOT_FOUND",
              message: `Could not get some ${OBJECT_NAMES[object]} objects, they may be deleted or not exist. Check that ids are valid.`,
            },
            { ids: [id], ...trace },
          ),
        );
        continue;
      }
      const problems = validate(object, input.properties);
      const properties = stringProperties(input.properties);
      const failure = problems.length > 0 ? invalid(problems) : conflict(object, properties, record);
      if (failure) {
        errors.push(perInputError(failure, { ids: [id], ...trace }));
        continue;
      }
      update(object, record, properties);
      results.push(
        toWire(record, typeof input.objectWriteTraceId === "string" ? { objectWriteTraceId: input.objectWriteTraceId } : {}),
      );
    }
    return batchAnswer(200, results, errors);
  };

  const batchUpsert = (object: EmulatedObject, inputs: Record<string, unknown>[]): Answer => {
    const ids: string[] = [];
    for (const input of inputs) {
      if (typeof input.idProperty !== "string" || input.idProperty === "") {
        return error(400, "VALIDATION_ERROR", "idProperty is required for every input of a batch upsert");
      }
      const problem = idPropertyProblem(object, input.idProperty, true);
      if (problem) return problem;
      ids.push(`${input.idProperty}:${String(input.id ?? "")}`);
    }
    const duplicates = ids.filter((id, i) => ids.indexOf(id) !== i);
    if (duplicates.length > 0) {
      const values = [...new Set(duplicates.map((d) => d.slice(d.indexOf(":") + 1)))];
      return error(400, "VALIDATION_ERROR", `Duplicate IDs found in batch input: [${values.join(", ")}]`, {
        context: { ids: values },
      });
    }
    const planned: {
      input: Record<string, unknown>;
      record?: StoredRecord;
      properties: Record<string, string>;
      failure?: Failure;
    }[] = [];
    const claimed = new Map<string, string>();
    for (const input of inputs) {
      const idProperty = input.idProperty as string;
      const id = String(input.id ?? "");
      const properties = { ...stringProperties(input.properties), [idProperty]: id };
      const problems = validate(object, { ...(input.properties as object), [idProperty]: id });
      const record = findBy(object, idProperty, id);
      let failure: Failure | undefined =
        id === ""
          ? invalid([{ isValid: false, message: "id is required", error: "INVALID_INPUT", name: idProperty }])
          : undefined;
      failure ??= problems.length > 0 ? invalid(problems) : conflict(object, properties, record);
      failure ??= claimInBatch(
        object,
        properties,
        claimed,
        uniqueProperties(object).filter((p) => p !== idProperty),
      );
      planned.push({ input, properties, ...(record ? { record } : {}), ...(failure ? { failure } : {}) });
    }
    const firstFailure = planned.find((p) => p.failure)?.failure;
    if (upsertErrors === "batch" && firstFailure) return error(400, firstFailure.category, firstFailure.message);
    const results: unknown[] = [];
    const errors: Record<string, unknown>[] = [];
    for (const p of planned) {
      const trace = typeof p.input.objectWriteTraceId === "string" ? p.input.objectWriteTraceId : undefined;
      if (p.failure) {
        errors.push(perInputError(p.failure, trace ? { objectWriteTraceId: [trace] } : { ids: [String(p.input.id)] }));
        continue;
      }
      const isNew = !p.record;
      const record = p.record ?? create(object, p.properties);
      if (p.record) update(object, p.record, p.properties);
      results.push(toWire(record, { new: isNew, ...(trace ? { objectWriteTraceId: trace } : {}) }));
    }
    return batchAnswer(200, results, errors);
  };

  const batchRead = (object: EmulatedObject, body: Record<string, unknown>, inputs: Record<string, unknown>[]): Answer => {
    const idProperty = typeof body.idProperty === "string" && body.idProperty !== "" ? body.idProperty : undefined;
    if (idProperty) {
      const problem = idPropertyProblem(object, idProperty, true);
      if (problem) return problem;
    }
    const wanted = Array.isArray(body.properties)
      ? body.properties.map(String)
      : ["hs_object_id", "createdate", modifiedProperty(object)];
    const results: unknown[] = [];
    const missing: string[] = [];
    for (const input of inputs) {
      const id = String(input.id ?? "");
      const record = idProperty ? findBy(object, idProperty, id) : store.get(object)?.get(id);
      if (!record) {
        missing.push(id);
        continue;
      }
      const properties = Object.fromEntries(wanted.map((name) => [name, record.properties[name] ?? null]));
      results.push({ ...toWire(record), properties });
    }
    const errors =
      missing.length > 0
        ? [
            perInputError(
              {
                category: "OBJECT_NOT_FOUND",
                message: `Could not get some ${OBJECT_NAMES[object]} objects, they may be deleted or not exist. Check that ids are valid.`,
              },
              { ids: missing },
            ),
          ]
        : [];
    return batchAnswer(200, results, errors);
  };

  const batchArchive = (object: EmulatedObject, inputs: Record<string, unknown>[]): Answer => {
    // Documented: 204 whatever the records' state (active, already archived, non-existent).
    for (const input of inputs) {
      const record = store.get(object)?.get(String(input.id ?? ""));
      if (!record) continue;
      store.get(object)?.delete(record.id);
      record.archived = true;
      archivedStore.get(object)?.push(record);
    }
    return { status: 204 };
  };

  const listProperties = (object: EmulatedObject): Answer => ({
    status: 200,
    body: {
      results: [...(registry.get(object)?.values() ?? [])].map((p, i) => ({
        name: p.name,
        label: p.label,
        type: p.type,
        fieldType: p.fieldType ?? "text",
        description: p.description ?? "",
        groupName: `${OBJECT_NAMES[object].toLowerCase()}information`,
        options: p.options?.map((option, k) => ({ ...option, displayOrder: k, hidden: false })) ?? [],
        displayOrder: i,
        calculated: p.calculated ?? false,
        externalOptions: false,
        hasUniqueValue: p.hasUniqueValue ?? false,
        hidden: p.hidden ?? false,
        hubspotDefined: DEFAULT_PROPERTIES[object].some((d) => d.name === p.name),
        archived: false,
        formField: !p.readOnlyValue,
        modificationMetadata: {
          archivable: !p.readOnlyValue,
          readOnlyDefinition: DEFAULT_PROPERTIES[object].some((d) => d.name === p.name),
          readOnlyValue: p.readOnlyValue ?? false,
        },
      })),
    },
  });

  // ---- request handling ---------------------------------------------------------------------------

  const rateHeaders = (token: string, at: number): Record<string, string> => {
    const inWindow = (windows.get(token) ?? []).filter((t) => t > at - limit.windowMs).length;
    return {
      "x-hubspot-ratelimit-max": String(limit.requests),
      "x-hubspot-ratelimit-remaining": String(Math.max(0, limit.requests - inWindow)),
      "x-hubspot-ratelimit-interval-milliseconds": String(limit.windowMs),
      "x-hubspot-ratelimit-daily": "1000000",
      "x-hubspot-ratelimit-daily-remaining": "999000",
    };
  };

  // The documented 429 body; Retry-After in seconds (RFC 9110) when turned on.
  const tooMany = (retryAfterMs: number, extraHeaders: Record<string, string> = {}): Answer => ({
    status: 429,
    body: {
      status: "error",
      message: "You have reached your ten_secondly_rolling limit.",
      errorType: "RATE_LIMIT",
      correlationId: randomUUID(),
      policyName: "TEN_SECONDLY_ROLLING",
      requestId: randomUUID(),
    },
    headers: {
      ...extraHeaders,
      ...(sendRetryAfter ? { "retry-after": String(Math.max(1, Math.ceil(retryAfterMs / 1000))) } : {}),
    },
  });

  const handle = (method: string, path: string, headers: http.IncomingHttpHeaders, rawBody: string, at: number): Answer => {
    if (pendingStormMs !== undefined) {
      stormUntil = at + pendingStormMs;
      pendingStormMs = undefined;
    }
    if (at < stormUntil) {
      stats.stormed++;
      return tooMany(stormUntil - at);
    }
    if (forced.count > 0) {
      forced.count--;
      return error(forced.status, "INTERNAL_ERROR", "internal error");
    }
    let body: unknown;
    try {
      body = rawBody.trim() === "" ? {} : JSON.parse(rawBody);
    } catch {
      return error(400, "VALIDATION_ERROR", "Invalid input JSON: the body is not JSON");
    }

    if (method === "POST" && path === "/oauth/v2/private-apps/get/access-token-info") {
      const tokenKey = (body as { tokenKey?: unknown }).tokenKey;
      const scopes = typeof tokenKey === "string" ? tokens[tokenKey] : undefined;
      if (!scopes) return error(401, "INVALID_AUTHENTICATION", "The access token is not valid");
      return { status: 200, body: { userId: 1, hubId, appId: 7, scopes } };
    }

    const auth = /^Bearer (.+)$/.exec(String(headers.authorization ?? ""));
    const token = auth?.[1];
    const scopes = token !== undefined ? tokens[token] : undefined;
    if (token === undefined || !scopes) {
      return error(
        401,
        "INVALID_AUTHENTICATION",
        "Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview",
      );
    }

    // Rolling window per token: what HubSpot's burst limit counts ("per 10 seconds", per app).
    const window = (windows.get(token) ?? []).filter((t) => t > at - limit.windowMs);
    if (window.length >= limit.requests) {
      windows.set(token, window);
      stats.rateLimited++;
      return tooMany((window[0] ?? at) + limit.windowMs - at, rateHeaders(token, at));
    }
    window.push(at);
    windows.set(token, window);
    stats.maxInWindow = Math.max(stats.maxInWindow, window.length);
    const answer = route(method, path, body, scopes);
    return { ...answer, headers: { ...rateHeaders(token, at), ...answer.headers } };
  };

  const route = (method: string, path: string, body: unknown, scopes: string[]): Answer => {
    const missingScope = (scope: string): Answer | undefined =>
      scopes.includes(scope)
        ? undefined
        : error(
            403,
            "MISSING_SCOPES",
            "This app hasn't been granted all required scopes to make this call. Read more about required scopes here: https://developers.hubspot.com/scopes.",
            {
              errors: [
                { message: "One or more of the following scopes are required.", context: { requiredGranularScopes: [scope] } },
              ],
              links: { scopes: "https://developers.hubspot.com/scopes" },
            },
          );

    const properties = /^\/crm\/v3\/properties\/([^/]+)$/.exec(path);
    if (method === "GET" && properties?.[1]) {
      const object = asObject(properties[1]);
      if (!object) return unknownObject(properties[1]);
      return missingScope(`crm.schemas.${object}.read`) ?? listProperties(object);
    }

    const batch = /^\/crm\/v3\/objects\/([^/]+)\/batch\/(create|update|upsert|read|archive)$/.exec(path);
    if (method === "POST" && batch?.[1] && batch[2]) {
      const object = asObject(batch[1]);
      if (!object) return unknownObject(batch[1]);
      const action = batch[2];
      const denied = missingScope(`crm.objects.${object}.${action === "read" ? "read" : "write"}`);
      if (denied) return denied;
      const payload = (typeof body === "object" && body !== null ? body : {}) as Record<string, unknown>;
      if (!Array.isArray(payload.inputs)) return error(400, "VALIDATION_ERROR", "Invalid input JSON: inputs must be an array");
      const inputs = payload.inputs.filter((i): i is Record<string, unknown> => typeof i === "object" && i !== null);
      if (inputs.length > BATCH_LIMIT) {
        return error(400, "VALIDATION_ERROR", `Batch input is limited to ${BATCH_LIMIT} inputs; got ${inputs.length}`);
      }
      switch (action) {
        case "create":
          return batchCreate(object, inputs);
        case "update":
          return batchUpdate(object, inputs);
        case "upsert":
          return batchUpsert(object, inputs);
        case "read":
          return batchRead(object, payload, inputs);
        default:
          return batchArchive(object, inputs);
      }
    }
    return error(404, "OBJECT_NOT_FOUND", `No route for ${method} ${path}`);
  };

  const unknownObject = (name: string) => error(404, "OBJECT_NOT_FOUND", `Unable to infer object type from: ${name}`);

  const server = await startEmulatorServer((req, received, res) => {
    const at = Date.now();
    const rawBody = received.raw.toString("utf8");
    const path = new URL(req.url ?? "/", "http://emulator").pathname;
    const method = req.method ?? "GET";
    const answer = handle(method, path, req.headers, rawBody, at);
    requests.push({ method, path, headers: req.headers, body: parseOrRaw(rawBody), at, status: answer.status });
    const text = answer.body === undefined ? "" : JSON.stringify(answer.body);
    res.writeHead(answer.status, {
      ...(text ? { "content-type": "application/json;charset=utf-8" } : {}),
      ...answer.headers,
    });
    res.end(text);
  });

  return {
    url: server.url,
    requests,
    stats,
    records: (object) => [...(store.get(object)?.values() ?? [])],
    archived: (object) => [...(archivedStore.get(object) ?? [])],
    seed: (object, properties) => create(object, properties),
    stormFromNextRequest: (ms) => {
      pendingStormMs = ms;
    },
    storm: (ms) => {
      stormUntil = Date.now() + ms;
    },
    failNext: (count, status = 503) => {
      forced = { count, status };
    },
    close: () => server.close(),
  };
}

function asObject(name: string): EmulatedObject | undefined {
  return (OBJECTS as readonly string[]).includes(name) ? (name as EmulatedObject) : undefined;
}

function modifiedProperty(object: EmulatedObject): string {
  return object === "contacts" ? "lastmodifieddate" : "hs_lastmodifieddate";
}

function stringProperties(properties: unknown): Record<string, string> {
  if (typeof properties !== "object" || properties === null) return {};
  return Object.fromEntries(Object.entries(properties as Record<string, unknown>).map(([k, v]) => [k, String(v)]));
}

/** Two inputs of one batch claiming the same unique value: the second is refused. */
function claimInBatch(
  object: EmulatedObject,
  properties: Record<string, string>,
  claimed: Map<string, string>,
  unique: string[],
): Failure | undefined {
  for (const name of unique) {
    const value = properties[name];
    if (!value) continue;
    const key = `${name}:${value}`;
    if (claimed.has(key)) {
      return {
        category: "CONFLICT",
        message: `Another input of this batch has ${name} "${value}" (${OBJECT_NAMES[object].toLowerCase()})`,
      };
    }
    claimed.set(key, value);
  }
  return undefined;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function valueProblem(
  object: EmulatedObject,
  definition: PropertyDefinition,
  value: string,
): { message: string; code: string } | undefined {
  if (object === "contacts" && definition.name === "email" && !EMAIL.test(value)) {
    return { message: `Email address ${value} is invalid`, code: "INVALID_EMAIL" };
  }
  switch (definition.type) {
    case "number":
      return /^-?\d+(\.\d+)?$/.test(value) ? undefined : { message: `${value} was not a valid number.`, code: "INVALID_INTEGER" };
    case "bool":
      return value === "true" || value === "false"
        ? undefined
        : { message: `${value} was not a valid boolean.`, code: "INVALID_BOOLEAN" };
    case "date":
      return /^\d{4}-\d{2}-\d{2}$/.test(value) || /^\d+$/.test(value)
        ? undefined
        : { message: `${value} was not a valid date (YYYY-MM-DD or epoch milliseconds).`, code: "INVALID_DATE" };
    case "datetime":
      return /^\d+$/.test(value) || !Number.isNaN(Date.parse(value))
        ? undefined
        : { message: `${value} was not a valid datetime (ISO 8601 or epoch milliseconds).`, code: "INVALID_DATETIME" };
    case "enumeration": {
      const allowed = (definition.options ?? []).map((o) => o.value);
      const bad = value.split(";").find((v) => !allowed.includes(v));
      return bad === undefined
        ? undefined
        : { message: `${bad} was not one of the allowed options: [${allowed.join(", ")}]`, code: "INVALID_OPTION" };
    }
    default:
      return undefined;
  }
}

function parseOrRaw(text: string): unknown {
  try {
    return text === "" ? undefined : JSON.parse(text);
  } catch {
    return text;
  }
}
