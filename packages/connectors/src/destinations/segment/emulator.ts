// A local Segment-compatible HTTP Tracking API for tests, written from Segment's HTTP API documentation
// (links in README.md):
//   POST /v1/batch with `Authorization: Basic base64(<write key>:)` (or `writeKey` in the body) and
//   Content-Type application/json; {"batch": [...messages]}.
//   400 for a body that is not JSON, over 500 KB, or with a message over 32 KB.
//   200 {"success": true} otherwise — and, as Segment does, messages it cannot use are dropped silently:
//   no userId/anonymousId (no_user_anon_id), Track without `event`, Group without `groupId`, an unknown
//   type, or more than 2,500 messages in the batch. A messageId already seen is deduplicated; a message
//   without one is given one.
//   429 past the configured rate, with Retry-After and X-RateLimit-Reset in seconds.
// One deliberate difference: an unknown write key gets 401, as RudderStack's HTTP API answers. Segment's
// own edge answers 200 and drops the events (it does not validate keys synchronously).
import { randomUUID } from "node:crypto";
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
  startEmulatorServer,
  stormEnd,
  takeForcedStatus,
} from "../../kit/testing/emulator-server";
import { SEGMENT_MAX_BATCH_MESSAGES, SEGMENT_MAX_MESSAGE_BYTES, SEGMENT_MAX_REQUEST_BYTES } from "./contract";

export interface SegmentEmulatorOptions {
  /** Write keys accepted. Default: ["segment-test-key"]. */
  writeKeys?: readonly string[];
  /** Requests accepted per fixed window before 429 (Segment asks for at most 1,000 per second). */
  rateLimit?: { requests: number; perMs: number };
}

export type SegmentStoredMessage = Record<string, unknown> & { type: string; messageId: string };

export type SegmentRecordedRequest = RecordedJsonRequest;
export type SegmentEmulatorBehaviour = EmulatorFaults;

export interface SegmentEmulator extends FaultControls {
  url: string;
  /** Accepted messages in arrival order, one per messageId. */
  messages: SegmentStoredMessage[];
  /** Traits by userId (or anonymousId), merged from Identify calls. */
  users: Map<string, Record<string, unknown>>;
  /** Track calls: event, userId/anonymousId, properties. */
  events: SegmentStoredMessage[];
  /** Traits by groupId, merged from Group calls, and the users tied to each group. */
  groups: Map<string, { traits: Record<string, unknown>; members: Set<string> }>;
  /** Messages answered 200 but dropped, with the reason Segment gives. */
  dropped: { message: unknown; reason: string }[];
  /** Messages whose messageId had been seen already. */
  duplicates: number;
  requests: SegmentRecordedRequest[];
  behaviour: SegmentEmulatorBehaviour;
  reset(): void;
  close(): Promise<void>;
}

const TYPES = new Set(["identify", "track", "group", "page", "screen", "alias"]);
const MAX_READ_BYTES = 4 * SEGMENT_MAX_REQUEST_BYTES;

export async function startSegmentEmulator(options: SegmentEmulatorOptions = {}): Promise<SegmentEmulator> {
  const writeKeys = new Set(options.writeKeys ?? ["segment-test-key"]);
  const seen = new Set<string>();
  const window = new FixedWindow();
  let server: EmulatorServer | undefined;

  const emulator: SegmentEmulator = {
    url: "",
    messages: [],
    users: new Map(),
    events: [],
    groups: new Map(),
    dropped: [],
    duplicates: 0,
    requests: [],
    behaviour: { ...(options.rateLimit ? { rateLimit: options.rateLimit } : {}) },
    ...faultControls(() => emulator.behaviour),
    reset() {
      emulator.messages.length = 0;
      emulator.users.clear();
      emulator.events.length = 0;
      emulator.groups.clear();
      emulator.dropped.length = 0;
      emulator.duplicates = 0;
      emulator.requests.length = 0;
      seen.clear();
      window.reset();
    },
    async close() {
      await server?.close();
    },
  };

  const writeKeyOf = (req: IncomingMessage, body: unknown): string | undefined => {
    const basic = /^Basic (\S+)$/.exec(req.headers.authorization ?? "")?.[1];
    if (basic) {
      const decoded = Buffer.from(basic, "base64").toString("utf8");
      const colon = decoded.indexOf(":");
      return colon === -1 ? decoded : decoded.slice(0, colon);
    }
    const inBody = (body as { writeKey?: unknown } | undefined)?.writeKey;
    return typeof inBody === "string" ? inBody : undefined;
  };

  const handle = (req: IncomingMessage, received: ReceivedBody, res: ServerResponse) => {
    const now = Date.now();
    const size = received.size;
    const { path, body, send } = recordJsonRequest(req, received, res, emulator.requests);

    if (req.method !== "POST" || path !== "/v1/batch") return send(404, { success: false, message: "Not Found" });
    const key = writeKeyOf(req, body);
    if (key === undefined || !writeKeys.has(key)) return send(401, { success: false, message: "Invalid write key" });

    const stormUntil = stormEnd(emulator.behaviour, now);
    if (stormUntil !== undefined) {
      const seconds = String(Math.max(1, Math.ceil((stormUntil - now) / 1000)));
      return send(
        429,
        { success: false, message: "Too Many Requests" },
        { "retry-after": seconds, "x-ratelimit-reset": seconds },
      );
    }
    const limit = emulator.behaviour.rateLimit;
    if (limit) {
      const taken = window.take(limit, now);
      if (taken.limited) {
        const seconds = String(Math.max(1, Math.ceil((taken.endsAt - now) / 1000)));
        return send(
          429,
          { success: false, message: "Too Many Requests" },
          { "retry-after": seconds, "x-ratelimit-reset": seconds },
        );
      }
    }
    const forced = takeForcedStatus(emulator.behaviour);
    if (forced !== undefined) {
      return send(forced, { success: false, message: forced === 400 ? "Bad Request" : "Internal Server Error" });
    }

    if (!/^application\/json\b/.test(req.headers["content-type"] ?? "")) {
      return send(400, { success: false, message: "Content-Type must be application/json" });
    }
    if (size > SEGMENT_MAX_REQUEST_BYTES) {
      return send(400, { success: false, message: `Request is ${size} bytes, over the 500KB batch limit` });
    }
    if (body === undefined) return send(400, { success: false, message: "Invalid JSON" });
    const batch = (body as { batch?: unknown }).batch;
    if (!Array.isArray(batch)) return send(400, { success: false, message: "`batch` must be an array" });
    const oversized = batch.findIndex((m) => Buffer.byteLength(JSON.stringify(m)) > SEGMENT_MAX_MESSAGE_BYTES);
    if (oversized !== -1) {
      return send(400, { success: false, message: `Message ${oversized} is over the 32KB per-message limit` });
    }
    if (batch.length > SEGMENT_MAX_BATCH_MESSAGES) {
      for (const message of batch) emulator.dropped.push({ message, reason: "batch has more than 2500 events" });
    } else {
      for (const message of batch) accept(message);
    }
    send(200, { success: true });
  };

  const accept = (message: unknown): void => {
    const reason = dropReason(message);
    if (reason) {
      emulator.dropped.push({ message, reason });
      return;
    }
    // Segment adds a messageId to messages without one; it deduplicates on those under 100 characters.
    const given = (message as { messageId?: unknown }).messageId;
    const messageId = typeof given === "string" && given !== "" ? given : randomUUID();
    const m = { ...(message as Record<string, unknown>), messageId } as SegmentStoredMessage;
    if (m.messageId.length < 100 && seen.has(m.messageId)) {
      emulator.duplicates++;
      return;
    }
    seen.add(m.messageId);
    emulator.messages.push(m);
    const who = String(m.userId ?? m.anonymousId);
    const traits = isObject(m.traits) ? m.traits : {};
    if (m.type === "identify") emulator.users.set(who, { ...emulator.users.get(who), ...traits });
    if (m.type === "track") emulator.events.push(m);
    if (m.type === "group") {
      const groupId = String(m.groupId);
      const group = emulator.groups.get(groupId) ?? { traits: {}, members: new Set<string>() };
      group.traits = { ...group.traits, ...traits };
      group.members.add(who);
      emulator.groups.set(groupId, group);
    }
  };

  server = await startEmulatorServer(handle, { maxBodyBytes: MAX_READ_BYTES });
  emulator.url = server.url;
  return emulator;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const present = (value: unknown) => (typeof value === "string" && value !== "") || typeof value === "number";

/** Why Segment would drop this message after answering 200; undefined when it is usable. */
function dropReason(message: unknown): string | undefined {
  if (!isObject(message)) return "a message must be an object";
  if (typeof message.type !== "string" || !TYPES.has(message.type)) return "unknown or missing type";
  if (!present(message.userId) && !present(message.anonymousId)) return "no_user_anon_id";
  if (message.type === "track" && (typeof message.event !== "string" || message.event === "")) return "Track call without event";
  if (message.type === "group" && !present(message.groupId)) return "Group call without groupId";
  return undefined;
}
