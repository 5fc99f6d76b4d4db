// What the Salesforce destination writes, as typed data: the common sales objects with their standard
// fields (an org's custom fields come from `listFields`, i.e. the describe call), the modes, the
// documented batch cap of sObject Collections and the org's API request allocation.
import { SYNC_MODES } from "@sluice/contracts/sync-config";
import type { DestinationContract, DestinationField, DestinationObject } from "../../kit/contract";
import { DEFAULT_EXTERNAL_ID_FIELD } from "./config";

/** Most records in one sObject Collections request (create, update, upsert and delete alike). */
export const COLLECTION_MAX_RECORDS = 200;

const externalId: DestinationField = {
  name: DEFAULT_EXTERNAL_ID_FIELD,
  label: "External ID",
  type: "string",
  identifier: true,
  description:
    "The custom External ID field records are matched on (another one can be set per object in the destination's settings). Map your primary key to it.",
};

const field = (name: string, type: DestinationField["type"], label: string, extra: Partial<DestinationField> = {}) => ({
  name,
  label,
  type,
  ...extra,
});

const contact: DestinationObject = {
  name: "contacts",
  label: "Contacts",
  description: "Contact records, matched on an External ID field.",
  modes: SYNC_MODES,
  fields: [
    externalId,
    field("LastName", "string", "Last Name", { required: true }),
    field("FirstName", "string", "First Name"),
    field("Email", "string", "Email"),
    field("Phone", "string", "Business Phone"),
    field("MobilePhone", "string", "Mobile Phone"),
    field("Title", "string", "Title"),
    field("Department", "string", "Department"),
    field("AccountId", "string", "Account ID", { description: "18-character Id of the contact's account" }),
    field("LeadSource", "string", "Lead Source"),
    field("Birthdate", "date", "Birthdate"),
    field("HasOptedOutOfEmail", "boolean", "Email Opt Out"),
    field("DoNotCall", "boolean", "Do Not Call"),
    field("MailingStreet", "string", "Mailing Street"),
    field("MailingCity", "string", "Mailing City"),
    field("MailingState", "string", "Mailing State/Province"),
    field("MailingPostalCode", "string", "Mailing Zip/Postal Code"),
    field("MailingCountry", "string", "Mailing Country"),
    field("Description", "string", "Description"),
  ],
};

const lead: DestinationObject = {
  name: "leads",
  label: "Leads",
  description: "Lead records, matched on an External ID field.",
  modes: SYNC_MODES,
  fields: [
    externalId,
    field("LastName", "string", "Last Name", { required: true }),
    field("Company", "string", "Company", { required: true }),
    field("FirstName", "string", "First Name"),
    field("Email", "string", "Email"),
    field("Phone", "string", "Phone"),
    field("Title", "string", "Title"),
    field("Status", "string", "Lead Status", { description: "A value of the org's Lead Status picklist" }),
    field("LeadSource", "string", "Lead Source"),
    field("Industry", "string", "Industry"),
    field("NumberOfEmployees", "integer", "Employees"),
    field("AnnualRevenue", "number", "Annual Revenue"),
    field("Website", "string", "Website"),
    field("City", "string", "City"),
    field("Country", "string", "Country"),
    field("HasOptedOutOfEmail", "boolean", "Email Opt Out"),
    field("Description", "string", "Description"),
  ],
};

const account: DestinationObject = {
  name: "accounts",
  label: "Accounts",
  description: "Account records, matched on an External ID field.",
  modes: SYNC_MODES,
  fields: [
    externalId,
    field("Name", "string", "Account Name", { required: true }),
    field("Website", "string", "Website"),
    field("Phone", "string", "Phone"),
    field("Industry", "string", "Industry"),
    field("Type", "string", "Account Type"),
    field("NumberOfEmployees", "integer", "Employees"),
    field("AnnualRevenue", "number", "Annual Revenue"),
    field("BillingStreet", "string", "Billing Street"),
    field("BillingCity", "string", "Billing City"),
    field("BillingState", "string", "Billing State/Province"),
    field("BillingPostalCode", "string", "Billing Zip/Postal Code"),
    field("BillingCountry", "string", "Billing Country"),
    field("Description", "string", "Description"),
  ],
};

/** Sync.object → the sObject's API name. */
export const SOBJECTS: Readonly<Record<string, string>> = { contacts: "Contact", leads: "Lead", accounts: "Account" };

export const salesforceContract: DestinationContract = {
  objects: [contact, lead, account],
  batch: { maxRecords: COLLECTION_MAX_RECORDS },
  // No rateLimit: Salesforce documents no per-second rate, only an org-wide rolling 24-hour allocation
  // (Enterprise: 100,000 + 1,000 per license; shared with every integration of the org) and at most 25
  // concurrent requests running 20 s or longer (5 in Developer Edition). Pacing to the allocation would
  // mean about one request a second; instead the kit's default concurrency (4, at most 8) stays under the
  // concurrency cap, and REQUEST_LIMIT_EXCEEDED (either limit) is treated as rate limiting.
  idempotencyKeys: false,
  docs: [
    {
      title: "OAuth 2.0 JWT Bearer Flow for Server-to-Server Integration",
      url: "https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_jwt_flow.htm&type=5",
    },
    {
      title: "OAuth 2.0 Username-Password Flow",
      url: "https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/intro_understanding_username_password_oauth_flow.htm",
    },
    {
      title: "Upsert Records Using sObject Collections",
      url: "https://developer.salesforce.com/docs/platform/api-rest/guide/resources-composite-sobjects-collections-upsert.html",
    },
    {
      title: "Create Records Using sObject Collections",
      url: "https://developer.salesforce.com/docs/platform/api-rest/guide/resources-composite-sobjects-collections-create.html",
    },
    {
      title: "Delete Records Using sObject Collections",
      url: "https://developer.salesforce.com/docs/platform/api-rest/guide/resources-composite-sobjects-collections-delete.html",
    },
    {
      title: "Bulk API 2.0 Ingest",
      url: "https://developer.salesforce.com/docs/platform/api-asynch/guide/bulk-api-2-0-ingest.html",
    },
    {
      title: "Status Codes and Error Responses",
      url: "https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/errorcodes.htm",
    },
    {
      title: "API Request Limits and Allocations",
      url: "https://developer.salesforce.com/docs/platform/salesforce-app-limits-cheatsheet/guide/salesforce-app-limits-platform-api.html",
    },
  ],
};
