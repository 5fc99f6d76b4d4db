// What Sluice writes to a Segment-compatible HTTP Tracking API, as typed data: Identify, Track and Group
// calls sent through /v1/batch. The Tracking API has no delete call for any of them, so no object takes
// mirror mode (a row removed from the model sends nothing; to erase a user, use Segment's own
// deletion/suppression tooling). Limits are those Segment documents for its HTTP API.
import type { DestinationContract, DestinationField } from "../../kit/contract";

/** Largest batch request (http-api "Max request size"): 500 KB. */
export const SEGMENT_MAX_REQUEST_BYTES = 500 * 1024;
/** Largest message inside a batch: 32 KB. */
export const SEGMENT_MAX_MESSAGE_BYTES = 32 * 1024;
/** Messages per batch request ("Errors": up to 2,500 events per batch). */
export const SEGMENT_MAX_BATCH_MESSAGES = 2_500;
/** messageId must be shorter than 100 characters for Segment to deduplicate on it. */
export const SEGMENT_MAX_MESSAGE_ID_CHARS = 99;
/** Segment asks for at most 1,000 requests per second per workspace. */
export const SEGMENT_RATE = { requests: 1_000, perMs: 1_000 } as const;

const userId: DestinationField = {
  name: "userId",
  label: "User ID",
  type: "string",
  identifier: true,
  description: "Your unique ID for the user. Each call needs userId or anonymousId.",
};
const anonymousId: DestinationField = {
  name: "anonymousId",
  label: "Anonymous ID",
  type: "string",
  description: "Used when there is no userId",
};
const timestamp: DestinationField = {
  name: "timestamp",
  label: "Timestamp",
  type: "datetime",
  description: "When it happened (ISO 8601); Segment uses the time it received the call when not mapped",
};
const context: DestinationField = { name: "context", label: "Context", type: "json", description: "Segment context object" };

const traitFields = (names: [string, string, DestinationField["type"]][]): DestinationField[] =>
  names.map(([name, label, type]) => ({ name: `traits.${name}`, label, type }));

export const segmentContract: DestinationContract = {
  objects: [
    {
      name: "identify",
      label: "Identify (users)",
      description: "One Identify call per new or changed row: the user's traits. Rows removed from the model send nothing.",
      modes: ["upsert", "update", "insert"],
      fields: [
        userId,
        anonymousId,
        { name: "traits", label: "Traits", type: "json", description: "Map columns to traits.<name>" },
        ...traitFields([
          ["email", "Email", "string"],
          ["name", "Name", "string"],
          ["firstName", "First name", "string"],
          ["lastName", "Last name", "string"],
          ["phone", "Phone", "string"],
          ["createdAt", "Created at", "datetime"],
        ]),
        timestamp,
        context,
      ],
    },
    {
      name: "track",
      label: "Track (events)",
      description: "One Track call per new row (insert), or per new or changed row (upsert).",
      modes: ["insert", "upsert"],
      fields: [
        userId,
        anonymousId,
        { name: "event", label: "Event name", type: "string", description: "Required unless the destination sets an event name" },
        { name: "properties", label: "Properties", type: "json", description: "Map columns to properties.<name>" },
        timestamp,
        context,
      ],
    },
    {
      name: "group",
      label: "Group (accounts)",
      description: "One Group call per new or changed row: ties the user to the group and records the group's traits.",
      modes: ["upsert", "update", "insert"],
      fields: [
        { name: "groupId", label: "Group ID", type: "string", required: true, identifier: true },
        userId,
        anonymousId,
        { name: "traits", label: "Traits", type: "json", description: "Map columns to traits.<name>" },
        ...traitFields([
          ["name", "Name", "string"],
          ["industry", "Industry", "string"],
          ["employees", "Employees", "integer"],
          ["plan", "Plan", "string"],
        ]),
        timestamp,
        context,
      ],
    },
  ],
  batch: { maxRecords: SEGMENT_MAX_BATCH_MESSAGES, maxBytes: SEGMENT_MAX_REQUEST_BYTES },
  rateLimit: { ...SEGMENT_RATE, initialConcurrency: 4, maxConcurrency: 16 },
  idempotencyKeys: true,
  docs: [
    {
      title: "Segment HTTP Tracking API",
      url: "https://segment.com/docs/connections/sources/catalog/libraries/server/http-api/",
    },
    { title: "Segment Spec: Identify", url: "https://segment.com/docs/connections/spec/identify/" },
    { title: "Segment Spec: Track", url: "https://segment.com/docs/connections/spec/track/" },
    { title: "Segment Spec: Group", url: "https://segment.com/docs/connections/spec/group/" },
    { title: "Segment Spec: common fields (messageId, timestamp)", url: "https://segment.com/docs/connections/spec/common/" },
    { title: "Segment regional endpoints", url: "https://segment.com/docs/guides/regional-segment/" },
    { title: "RudderStack HTTP API (same shape)", url: "https://www.rudderstack.com/docs/api/http-api/" },
  ],
};
