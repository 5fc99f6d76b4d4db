// What Sluice writes to Braze, as typed data: user attributes and custom events through /users/track,
// deletes of user profiles through /users/delete (mirror). Limits are those Braze documents; the
// rate limit is the /users/track default, overridable per destination (config.requestsPerSecond).
import type { DestinationContract, DestinationField } from "../../kit/contract";

/** Attribute and event objects per /users/track request, per array (post_user_track, api_limits). */
export const BRAZE_TRACK_MAX_OBJECTS = 75;
/** external_ids per /users/delete request (post_user_delete). */
export const BRAZE_DELETE_MAX_IDS = 50;
/** /users/track default: 3,000 requests per three seconds per workspace (api_limits). */
export const BRAZE_TRACK_RATE = { requests: 3_000, perMs: 3_000 } as const;
/** Event properties with arrays or objects may take up to 100 KB (event_object). */
export const BRAZE_EVENT_PROPERTIES_MAX_BYTES = 100 * 1024;
/** Property names and string values: 255 characters at most (event_object). */
export const BRAZE_MAX_NAME_CHARS = 255;

const SUBSCRIBE = ["opted_in", "subscribed", "unsubscribed"];

const externalId: DestinationField = {
  name: "external_id",
  label: "External ID",
  type: "string",
  required: true,
  identifier: true,
  description: "Your unique user ID. Profiles are created or updated by it, and deleted by it in mirror syncs.",
};

const userFields: DestinationField[] = [
  externalId,
  { name: "email", label: "Email", type: "string" },
  { name: "phone", label: "Phone", type: "string", description: "E.164 recommended, e.g. +15043277269" },
  { name: "first_name", label: "First name", type: "string" },
  { name: "last_name", label: "Last name", type: "string" },
  { name: "gender", label: "Gender", type: "string", options: ["M", "F", "O", "N", "P"] },
  { name: "dob", label: "Date of birth", type: "date", description: "YYYY-MM-DD" },
  { name: "country", label: "Country", type: "string", description: "ISO-3166-1 alpha-2 code" },
  { name: "language", label: "Language", type: "string", description: "ISO-639-1 code" },
  { name: "home_city", label: "Home city", type: "string" },
  { name: "time_zone", label: "Time zone", type: "string", description: "IANA name, e.g. America/New_York" },
  { name: "email_subscribe", label: "Email subscription", type: "string", options: SUBSCRIBE },
  { name: "push_subscribe", label: "Push subscription", type: "string", options: SUBSCRIBE },
];

const eventFields: DestinationField[] = [
  externalId,
  {
    name: "name",
    label: "Event name",
    type: "string",
    description: "Required unless the destination sets a default event name",
  },
  {
    name: "time",
    label: "Time",
    type: "datetime",
    description: "When the event happened (ISO 8601); the time of sending when not mapped",
  },
  { name: "app_id", label: "App identifier", type: "string" },
  {
    name: "properties",
    label: "Properties",
    type: "json",
    description: "Event properties; map columns to properties.<name>. `time` and `event_name` are reserved.",
  },
];

export const brazeContract: DestinationContract = {
  objects: [
    {
      name: "users",
      label: "Users (attributes)",
      description:
        "One user attributes object per row, keyed by external_id. Fields other than the standard ones are sent as custom attributes; a null value removes the attribute.",
      modes: ["upsert", "update", "insert", "mirror"],
      fields: userFields,
    },
    {
      name: "events",
      label: "Custom events",
      description: "One custom event per new row (insert), or per new or changed row (upsert). Braze cannot delete events.",
      modes: ["insert", "upsert"],
      fields: eventFields,
    },
  ],
  batch: { maxRecords: BRAZE_TRACK_MAX_OBJECTS },
  rateLimit: { ...BRAZE_TRACK_RATE, initialConcurrency: 4, maxConcurrency: 16 },
  idempotencyKeys: false,
  docs: [
    { title: "Track users (/users/track)", url: "https://www.braze.com/docs/api/endpoints/user_data/post_user_track/" },
    { title: "Delete users (/users/delete)", url: "https://www.braze.com/docs/api/endpoints/user_data/post_user_delete/" },
    { title: "User attributes object", url: "https://www.braze.com/docs/api/objects_filters/user_attributes_object/" },
    { title: "Event object", url: "https://www.braze.com/docs/api/objects_filters/event_object/" },
    { title: "API rate limits", url: "https://www.braze.com/docs/api/api_limits/" },
    { title: "API errors and responses", url: "https://www.braze.com/docs/api/errors/" },
    { title: "API and SDK endpoints", url: "https://www.braze.com/docs/user_guide/administrative/access_braze/sdk_endpoints/" },
  ],
};
