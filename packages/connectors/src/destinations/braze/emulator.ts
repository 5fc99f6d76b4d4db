// A local Braze REST API for tests, written from Braze's documentation (links in README.md):
//   POST /users/track  — `Authorization: Bearer <key>` with users.track; attributes/events/purchases arrays
//                        of at most 75 objects each; every object needs external_id, user_alias, braze_id,
//                        email or phone; events need `name` and an ISO 8601 `time`; `time` and `event_name`
//                        are reserved event properties. Invalid objects do not fail the request: the answer
//                        is {"message":"success","errors":[{type,input_array,index}]} and the rest is applied.
//                        `_update_existing_only: true` never creates a user. A null attribute removes it.
//   POST /users/delete — users.delete; only one identifier kind per request, at most 50 ids; {"deleted": n}.
//   401 for an unknown or missing key, 403 for a key without the endpoint's permission, 400 for a body
//   that is not JSON or breaks a cap, 429 past the configured rate with X-RateLimit-* headers (reset in
//   UTC epoch seconds) on every response. Tests can force a 429 storm or 5xx answers.
// The error `type` strings are this emulator's wording: Braze documents the shape, not every text.
import type { IncomingMessage, ServerResponse } from "node:http";
import {
  type EmulatorFaults,
  type EmulatorServer,
  type FaultControls,
  FixedWindow,
  faultControls,
  type ReceivedBody,
  type RecordedJsonRequest,
  recordJsonRequest,
  sendJson,
  startEmulatorServer,
  stormEnd,
  takeForcedStatus,
} from "../../kit/testing/emulator-server";
import { BRAZE_DELETE_MAX_IDS, BRAZE_TRACK_MAX_OBJECTS } from "./contract";

export type BrazePermission = "users.track" | "users.delete";

export interface BrazeEmulatorOptions {
  /** API key → its permissions. Default: {"braze-test-key": ["users.track", "users.delete"]}. */
  apiKeys?: Record<string, readonly BrazePermission[]>;
  /** Requests accepted per fixed window before 429 (Braze's /users/track default: 3,000 per 3,000 ms). */
  rateLimit?: { requests: number; perMs: number };
  /** Also send Retry-After (seconds) with a 429; Braze documents only the X-RateLimit-* headers. */
  retryAfterHeader?: boolean;
  /**
   * external_ids Braze refuses as "dummy users" (spam blocking): their objects come back in `errors` with
   * "provided external_id is blacklisted and disallowed", as post_user_track documents.
   */
  blockedExternalIds?: readonly string[];
}

export interface BrazeStoredEvent {
  external_id: string;
  name: string;
  time: string;
  app_id?: string;
  properties?: Record<string, unknown>;
}

export type BrazeRecordedRequest = RecordedJsonRequest;
export type BrazeEmulatorBehaviour = EmulatorFaults;

export interface BrazeEmulator extends FaultControls {
  url: string;
  /** Profiles by external_id: their attributes (external_id included). */
  users: Map<string, Record<string, unknown>>;
  events: BrazeStoredEvent[];
  /** external_ids deleted, in order. */
  deleted: string[];
  requests: BrazeRecordedRequest[];
  behaviour: BrazeEmulatorBehaviour;
  reset(): void;
  close(): Promise<void>;
}

const IDENTIFIERS = ["external_id", "user_alias", "braze_id", "email", "phone"] as const;
const DELETE_IDENTIFIERS = ["external_ids", "user_aliases", "braze_ids", "email_addresses", "phone_numbers"] as const;
const RESERVED_EVENT_PROPERTIES = ["time", "event_name"];
const MAX_BODY_BYTES = 10 * 1024 * 1024;
const STATUS_TEXT: Record<number, string> = {
  400: "Bad Request",
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
};

interface ObjectError {
  type: string;
  input_array: string;
  index: number;
}

export async function startBrazeEmulator(options: BrazeEmulatorOptions = {}): Promise<BrazeEmulator> {
  const apiKeys = options.apiKeys ?? { "braze-test-key": ["users.track", "users.delete"] };
  const blocked = new Set(options.blockedExternalIds ?? []);
  const window = new FixedWindow();
  let server: EmulatorServer | undefined;

  const emulator: BrazeEmulator = {
    url: "",
    users: new Map(),
    events: [],
    deleted: [],
    requests: [],
    behaviour: { ...(options.rateLimit ? { rateLimit: options.rateLimit } : {}) },
    ...faultControls(() => emulator.behaviour),
    reset() {
      emulator.users.clear();
      emulator.events.length = 0;
      emulator.deleted.length = 0;
      emulator.requests.length = 0;
      window.reset();
    },
    async close() {
      await server?.close();
    },
  };

  /** X-RateLimit-* headers (on every response, per api_limits) and whether this request is over the limit. */
  const takeRate = (now: number): { headers: Record<string, string>; limited: boolean } => {
    const limit = emulator.behaviour.rateLimit;
    if (!limit) return { headers: {}, limited: false };
    const { count, endsAt, limited } = window.take(limit, now);
    return {
      headers: {
        "x-ratelimit-limit": String(limit.requests),
        "x-ratelimit-remaining": String(Math.max(0, limit.requests - count)),
        "x-ratelimit-reset": String(Math.ceil(endsAt / 1000)),
      },
      limited,
    };
  };

  const handle = (req: IncomingMessage, received: ReceivedBody, res: ServerResponse) => {
    const now = Date.now();
    const { path, body, send } = recordJsonRequest(req, received, res, emulator.requests);

    const permission: BrazePermission | undefined =
      path === "/users/track" ? "users.track" : path === "/users/delete" ? "users.delete" : undefined;
    if (req.method !== "POST" || !permission) return send(404, { message: `No endpoint ${req.method} ${path}` });

    const key = /^Bearer (\S+)$/.exec(req.headers.authorization ?? "")?.[1];
    const granted = key !== undefined && Object.hasOwn(apiKeys, key) ? apiKeys[key] : undefined;
    if (!granted) return send(401, { message: "Unknown or missing REST API Key" });
    if (!granted.includes(permission)) {
      return send(403, { message: `Access Denied: this REST API key does not have the ${permission} permission` });
    }

    const stormUntil = stormEnd(emulator.behaviour, now);
    if (stormUntil !== undefined) {
      const reset = Math.ceil(stormUntil / 1000);
      return send(
        429,
        { message: "API rate limit exceeded" },
        {
          "x-ratelimit-limit": "0",
          "x-ratelimit-remaining": "0",
          "x-ratelimit-reset": String(reset),
          ...(options.retryAfterHeader ? { "retry-after": String(Math.max(1, reset - Math.floor(now / 1000))) } : {}),
        },
      );
    }
    const rate = takeRate(now);
    if (rate.limited) {
      const wait = Math.max(1, Number(rate.headers["x-ratelimit-reset"]) - Math.floor(now / 1000));
      return send(
        429,
        { message: "API rate limit exceeded" },
        {
          ...rate.headers,
          ...(options.retryAfterHeader ? { "retry-after": String(wait) } : {}),
        },
      );
    }
    const forced = takeForcedStatus(emulator.behaviour);
    if (forced !== undefined) return send(forced, { message: STATUS_TEXT[forced] ?? `HTTP ${forced}` }, rate.headers);
    if (body === undefined || typeof body !== "object" || body === null || Array.isArray(body)) {
      return send(400, { message: "Bad Request: the body is not a JSON object" }, rate.headers);
    }
    const [status, answer] =
      permission === "users.track"
        ? track(body as Record<string, unknown>, emulator, blocked)
        : remove(body as Record<string, unknown>, emulator);
    send(status, answer, rate.headers);
  };

  server = await startEmulatorServer(
    (req, received, res) => {
      // Braze's 413 for a body past the cap; it is not logged, since the log holds bodies read whole.
      if (received.size > MAX_BODY_BYTES) return sendJson(res, 413, { message: "Request Entity Too Large" });
      handle(req, received, res);
    },
    { maxBodyBytes: MAX_BODY_BYTES },
  );
  emulator.url = server.url;
  return emulator;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The object's user identifier problem, if any. */
function identifierError(object: Record<string, unknown>, blocked: ReadonlySet<string>): string | undefined {
  if (!IDENTIFIERS.some((k) => object[k] !== undefined && object[k] !== null && object[k] !== "")) {
    return "'external_id', 'braze_id', 'user_alias', 'email' or 'phone' is required";
  }
  if (object.external_id !== undefined && typeof object.external_id !== "string") return "'external_id' must be a string";
  if (typeof object.external_id === "string" && blocked.has(object.external_id)) {
    return "provided external_id is blacklisted and disallowed";
  }
  return undefined;
}

function isBrazeTime(value: unknown): value is string {
  return typeof value === "string" && !Number.isNaN(Date.parse(value));
}

function track(body: Record<string, unknown>, emulator: BrazeEmulator, blocked: ReadonlySet<string>): [number, unknown] {
  const arrays = ["attributes", "events", "purchases"] as const;
  for (const name of arrays) {
    const value = body[name];
    if (value === undefined) continue;
    if (!Array.isArray(value)) return [400, { message: `Bad Request: '${name}' must be an array` }];
    if (value.length > BRAZE_TRACK_MAX_OBJECTS) return [400, { message: "Max Input Length Exceeded" }];
  }
  if (!arrays.some((name) => Array.isArray(body[name]))) {
    return [400, { message: "Bad Request: provide attributes, events or purchases" }];
  }
  const errors: ObjectError[] = [];
  const attributes = (body.attributes as unknown[] | undefined) ?? [];
  const events = (body.events as unknown[] | undefined) ?? [];
  let attributesProcessed = 0;
  let eventsProcessed = 0;
  // Braze processes attributes first, then events, then purchases (api_limits, "Batching requests").
  for (const [index, object] of attributes.entries()) {
    const problem = isObject(object) ? identifierError(object, blocked) : "an attributes object must be an object";
    if (problem) {
      errors.push({ type: problem, input_array: "attributes", index });
      continue;
    }
    const o = object as Record<string, unknown>;
    attributesProcessed++;
    const id = o.external_id as string | undefined;
    if (id === undefined) continue; // alias/email/phone-only users are outside what this emulator stores
    const existing = emulator.users.get(id);
    if (!existing && o._update_existing_only === true) continue;
    const profile: Record<string, unknown> = existing ?? { external_id: id };
    for (const [field, value] of Object.entries(o)) {
      if (field === "_update_existing_only" || field === "push_token_import") continue;
      if (value === null) delete profile[field];
      else profile[field] = value;
    }
    emulator.users.set(id, profile);
  }
  for (const [index, object] of events.entries()) {
    const problem = isObject(object)
      ? (identifierError(object, blocked) ?? eventError(object))
      : "an event object must be an object";
    if (problem) {
      errors.push({ type: problem, input_array: "events", index });
      continue;
    }
    const o = object as Record<string, unknown>;
    eventsProcessed++;
    const id = o.external_id as string | undefined;
    if (id === undefined) continue;
    if (!emulator.users.has(id)) {
      if (o._update_existing_only === true) continue;
      emulator.users.set(id, { external_id: id });
    }
    emulator.events.push({
      external_id: id,
      name: o.name as string,
      time: o.time as string,
      ...(typeof o.app_id === "string" ? { app_id: o.app_id } : {}),
      ...(isObject(o.properties) ? { properties: o.properties } : {}),
    });
  }
  return [
    201,
    {
      message: "success",
      ...(attributes.length > 0 ? { attributes_processed: attributesProcessed } : {}),
      ...(events.length > 0 ? { events_processed: eventsProcessed } : {}),
      ...(errors.length > 0 ? { errors } : {}),
    },
  ];
}

function eventError(o: Record<string, unknown>): string | undefined {
  if (typeof o.name !== "string" || o.name === "") return "'name' is required and must be a string";
  if (o.time === undefined) return "'time' is required";
  if (!isBrazeTime(o.time)) return "'time' must be an ISO 8601 date-time string";
  if (o.properties !== undefined) {
    if (!isObject(o.properties)) return "'properties' must be an object";
    const reserved = Object.keys(o.properties).find((k) => RESERVED_EVENT_PROPERTIES.includes(k));
    if (reserved) return `'${reserved}' is a reserved event property`;
  }
  return undefined;
}

function remove(body: Record<string, unknown>, emulator: BrazeEmulator): [number, unknown] {
  const given = DELETE_IDENTIFIERS.filter((k) => body[k] !== undefined);
  if (given.length === 0)
    return [400, { message: "Bad Request: provide external_ids, user_aliases, braze_ids, email_addresses or phone_numbers" }];
  if (given.length > 1) return [400, { message: "Bad Request: only one kind of identifier per request" }];
  const ids = body[given[0] as string];
  if (!Array.isArray(ids)) return [400, { message: `Bad Request: '${given[0]}' must be an array` }];
  if (ids.length > BRAZE_DELETE_MAX_IDS)
    return [400, { message: "The max number of external_ids and aliases per request was exceeded" }];
  if (given[0] !== "external_ids") return [201, { deleted: ids.length, message: "success" }];
  if (ids.some((id) => typeof id !== "string")) return [400, { message: "Bad Request: external_ids must be strings" }];
  for (const id of ids as string[]) {
    emulator.users.delete(id);
    emulator.deleted.push(id);
  }
  return [201, { deleted: ids.length, message: "success" }];
}
