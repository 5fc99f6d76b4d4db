// Salesforce destination settings. Two OAuth 2.0 flows: the JWT bearer flow (a connected app with a
// certificate; the recommended server-to-server flow) and the username-password flow (kept for orgs
// that cannot use certificates). The private key, the consumer secret and the password are secrets.
import { z } from "zod";

/** Salesforce API names: letters, digits and underscores, starting with a letter (custom ones end in __c). */
const API_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;
const ApiName = z.string().trim().regex(API_NAME, "Use a Salesforce API name such as External_Id__c");

export const DEFAULT_LOGIN_URL = "https://login.salesforce.com";
export const DEFAULT_API_VERSION = "62.0";
/**
 * Standard objects have no external ID field of their own, so Sluice expects a custom one by default: a
 * Text(255) field marked "External ID" and "Unique" named External_Id__c (any other is set per object).
 */
export const DEFAULT_EXTERNAL_ID_FIELD = "External_Id__c";

export const salesforceConfigSchema = z
  .object({
    authFlow: z
      .enum(["jwt", "password"])
      .default("jwt")
      .describe(
        "How Sluice signs in: jwt = OAuth 2.0 JWT bearer flow (connected app with a certificate, recommended); password = username-password flow",
      ),
    loginUrl: z
      .url({ protocol: /^https?$/, error: "Enter an https:// URL such as https://login.salesforce.com" })
      .default(DEFAULT_LOGIN_URL)
      .describe(
        "Where Sluice gets its token: https://login.salesforce.com (production), https://test.salesforce.com (sandbox) or your My Domain URL",
      ),
    consumerKey: z
      .string()
      .trim()
      .min(1, "Enter the connected app's consumer key")
      .describe("The connected app's consumer key (OAuth client_id)"),
    username: z
      .string()
      .trim()
      .min(1, "Enter the integration user's username")
      .describe("The Salesforce username Sluice acts as, e.g. integration@acme.com"),
    privateKey: z
      .string()
      .optional()
      .describe("JWT flow: the RSA private key (PEM) whose certificate is uploaded to the connected app; stored encrypted"),
    clientSecret: z.string().optional().describe("Password flow: the connected app's consumer secret; stored encrypted"),
    password: z
      .string()
      .optional()
      .describe("Password flow: the user's password followed by their security token; stored encrypted"),
    jwtAudience: z
      .url({ protocol: /^https$/, error: "Enter an https:// URL" })
      .optional()
      .describe(
        "JWT flow: the aud claim; default https://test.salesforce.com for sandbox login URLs, else https://login.salesforce.com",
      ),
    apiVersion: z
      .string()
      .trim()
      .regex(/^\d{2,3}\.0$/, "Use a version such as 62.0")
      .default(DEFAULT_API_VERSION)
      .describe("Salesforce REST API version, e.g. 62.0"),
    externalIdFields: z
      .record(ApiName, ApiName)
      .default({})
      .describe(
        `External ID field per object, e.g. {"Contact": "Customer_Id__c"}; default ${DEFAULT_EXTERNAL_ID_FIELD}. Upserts, updates and deletes match records on it, so the sync must map it`,
      ),
    useBulkApi: z
      .boolean()
      .default(false)
      .describe("Send large batches through Bulk API 2.0 ingest jobs instead of sObject Collections"),
    bulkThreshold: z.coerce
      .number()
      .int()
      .min(1)
      .max(150_000)
      .default(10_000)
      .describe("With the Bulk API on: a batch of at least this many records is sent as one ingest job (1–150000)"),
    bulkTimeoutMinutes: z.coerce
      .number()
      .int()
      .min(1)
      .max(24 * 60)
      .default(60)
      .describe("With the Bulk API on: how long to wait for an ingest job before aborting it (its records are retried)"),
  })
  .superRefine((config, ctx) => {
    if (config.authFlow === "jwt" && !config.privateKey?.trim()) {
      ctx.addIssue({ code: "custom", path: ["privateKey"], message: "The JWT flow needs the connected app's private key (PEM)" });
    }
    if (config.authFlow === "password") {
      if (!config.clientSecret?.trim())
        ctx.addIssue({ code: "custom", path: ["clientSecret"], message: "The password flow needs the consumer secret" });
      if (!config.password)
        ctx.addIssue({ code: "custom", path: ["password"], message: "The password flow needs the password + security token" });
    }
  });

export type SalesforceConfig = z.infer<typeof salesforceConfigSchema>;
export const SALESFORCE_SECRET_FIELDS = ["privateKey", "clientSecret", "password"] as const;

/** The external ID field Sluice matches `sobject` records on. */
export function externalIdFieldFor(config: SalesforceConfig, sobject: string): string {
  return config.externalIdFields[sobject] ?? DEFAULT_EXTERNAL_ID_FIELD;
}

/** The JWT `aud`: sandboxes (test.salesforce.com, *.sandbox.my.salesforce.com) use test.salesforce.com. */
export function jwtAudienceFor(config: SalesforceConfig): string {
  if (config.jwtAudience) return config.jwtAudience.replace(/\/$/, "");
  const host = new URL(config.loginUrl).hostname.toLowerCase();
  return host === "test.salesforce.com" || host.endsWith(".sandbox.my.salesforce.com")
    ? "https://test.salesforce.com"
    : DEFAULT_LOGIN_URL;
}

/** Records read per deliver() call: several collection requests' worth, or one bulk job's worth. */
export function pageSizeFor(config: SalesforceConfig): number {
  return config.useBulkApi ? Math.max(config.bulkThreshold, COLLECTIONS_PAGE_SIZE) : COLLECTIONS_PAGE_SIZE;
}

/** Ten sObject Collections requests of 200: enough to keep a few in flight at once. */
export const COLLECTIONS_PAGE_SIZE = 2_000;
