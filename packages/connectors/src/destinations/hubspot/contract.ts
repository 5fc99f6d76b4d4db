// HubSpot CRM v3 as typed data: the two objects Sluice writes, their common default properties (the
// account's own properties come from list-fields.ts), the 100-input batch limit, the documented burst
// limit for private apps, and the pages this destination follows.
import { SYNC_MODES } from "@sluice/contracts/sync-config";
import type { DestinationContract, DestinationField } from "../../kit/contract";
import { DEFAULT_REQUESTS_PER_10_SECONDS } from "./config";

/** Inputs per batch request on every CRM v3 batch endpoint (create, update, upsert, read, archive). */
export const HUBSPOT_BATCH_LIMIT = 100;
/** The window HubSpot's burst limit is counted over ("per 10 seconds"). */
export const HUBSPOT_RATE_WINDOW_MS = 10_000;

export const HUBSPOT_OBJECTS = ["contacts", "companies"] as const;
export type HubSpotObject = (typeof HUBSPOT_OBJECTS)[number];

/** The private app scopes each object needs, by what Sluice does with it. */
export function scopesFor(object: string): { read: string; write: string; schema: string } {
  return {
    read: `crm.objects.${object}.read`,
    write: `crm.objects.${object}.write`,
    schema: `crm.schemas.${object}.read`,
  };
}

const LIFECYCLE_STAGES = [
  "subscriber",
  "lead",
  "marketingqualifiedlead",
  "salesqualifiedlead",
  "opportunity",
  "customer",
  "evangelist",
  "other",
];

const CONTACT_FIELDS: DestinationField[] = [
  { name: "email", label: "Email", type: "string", identifier: true, description: "HubSpot's unique key for contacts" },
  { name: "firstname", label: "First name", type: "string" },
  { name: "lastname", label: "Last name", type: "string" },
  { name: "phone", label: "Phone number", type: "string" },
  { name: "company", label: "Company name", type: "string" },
  { name: "jobtitle", label: "Job title", type: "string" },
  { name: "website", label: "Website URL", type: "string" },
  { name: "lifecyclestage", label: "Lifecycle stage", type: "string", options: LIFECYCLE_STAGES },
];

const COMPANY_FIELDS: DestinationField[] = [
  { name: "domain", label: "Company domain name", type: "string", identifier: true },
  { name: "name", label: "Company name", type: "string" },
  { name: "phone", label: "Phone number", type: "string" },
  { name: "city", label: "City", type: "string" },
  { name: "country", label: "Country/Region", type: "string" },
  { name: "industry", label: "Industry", type: "string" },
  { name: "numberofemployees", label: "Number of employees", type: "number" },
  { name: "annualrevenue", label: "Annual revenue", type: "number" },
  { name: "lifecyclestage", label: "Lifecycle stage", type: "string", options: LIFECYCLE_STAGES },
];

export const hubspotContract: DestinationContract = {
  objects: [
    {
      name: "contacts",
      label: "Contacts",
      description: "People, matched by email (or the unique property set as contactsIdProperty). Mirror deletes archive them.",
      modes: SYNC_MODES,
      fields: CONTACT_FIELDS,
    },
    {
      name: "companies",
      label: "Companies",
      description:
        "Organisations, matched by domain (or the unique property set as companiesIdProperty). Mirror deletes archive them.",
      modes: SYNC_MODES,
      fields: COMPANY_FIELDS,
    },
  ],
  batch: { maxRecords: HUBSPOT_BATCH_LIMIT },
  // Documented per private app on Professional/Enterprise; the config's requestsPer10Seconds overrides it.
  rateLimit: {
    requests: DEFAULT_REQUESTS_PER_10_SECONDS,
    perMs: HUBSPOT_RATE_WINDOW_MS,
    initialConcurrency: 4,
    maxConcurrency: 8,
  },
  // HubSpot has no idempotency keys: upsert, update and archive are naturally repeatable, create is not.
  idempotencyKeys: false,
  docs: [
    {
      title: "Contacts: batch upsert",
      url: "https://developers.hubspot.com/docs/api-reference/legacy/crm/objects/contacts/batch/upsert-contacts",
    },
    {
      title: "Contacts: batch update",
      url: "https://developers.hubspot.com/docs/api-reference/legacy/crm/objects/contacts/batch/update-contacts",
    },
    {
      title: "Objects: batch create",
      url: "https://developers.hubspot.com/docs/api-reference/legacy/crm/objects/objects/batch/create-objects",
    },
    {
      title: "Objects: batch read by ID or unique property",
      url: "https://developers.hubspot.com/docs/api-reference/latest/crm/objects/objects/batch/get-objects",
    },
    {
      title: "Companies: batch upsert",
      url: "https://developers.hubspot.com/docs/api-reference/legacy/crm/objects/companies/batch/upsert-companies",
    },
    { title: "Properties API", url: "https://developers.hubspot.com/docs/api/crm/properties" },
    {
      title: "Error handling (207 multi-status, 423, 429, 477, 5xx)",
      url: "https://developers.hubspot.com/docs/api-reference/error-handling",
    },
    {
      title: "API usage guidelines and limits",
      url: "https://developers.hubspot.com/docs/developer-tooling/platform/usage-guidelines",
    },
  ],
};
