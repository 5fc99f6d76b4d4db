// HubSpot destination settings. The private app's access token is the only secret; the base URL is
// overridable so tests can point at the emulator; each object is matched by a property of the user's
// choice (contacts by email, companies by domain unless changed).
import { z } from "zod";

export const HUBSPOT_API_URL = "https://api.hubapi.com";
/** HubSpot's documented burst limit for private apps on Professional and Enterprise (Free/Starter: 100). */
export const DEFAULT_REQUESTS_PER_10_SECONDS = 190;

// Internal property names are lower-case letters, digits and underscores (e.g. `email`, `company_key`).
const propertyName = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9_]+$/, "Use the property's internal name (letters, digits and underscores, e.g. email)");

export const hubspotConfigSchema = z.object({
  accessToken: z
    .string()
    .trim()
    .min(1, "Paste the private app's access token")
    .describe(
      "Private app access token (HubSpot: Settings → Integrations → Private Apps). Scopes: crm.objects.contacts.read/write, crm.objects.companies.read/write, crm.schemas.contacts.read, crm.schemas.companies.read for the objects you sync",
    ),
  baseUrl: z
    .url({ protocol: /^https?$/, error: "Enter an http:// or https:// URL" })
    .default(HUBSPOT_API_URL)
    .describe("HubSpot API base URL; change it only to point at a test emulator"),
  contactsIdProperty: propertyName
    .default("email")
    .describe(
      "Contact property that identifies a contact (upserts and deletes match on it): email, or a custom unique-value property",
    ),
  companiesIdProperty: propertyName
    .default("domain")
    .describe("Company property that identifies a company: domain by default, or a custom property with unique values"),
  requestsPer10Seconds: z.coerce
    .number()
    .int()
    .min(1)
    .max(1_000)
    .default(DEFAULT_REQUESTS_PER_10_SECONDS)
    .describe(
      "Your account's API burst limit per private app: 190 on Professional/Enterprise, 100 on Free/Starter, 250 with the API limit increase",
    ),
});

export type HubSpotConfig = z.infer<typeof hubspotConfigSchema>;
export const HUBSPOT_SECRET_FIELDS = ["accessToken"] as const;

/** The property that identifies records of `object` under this config. */
export function idPropertyFor(config: HubSpotConfig, object: string): string {
  return object === "companies" ? config.companiesIdProperty : config.contactsIdProperty;
}

/** `path` under the configured base URL (no trailing slash doubling). */
export function apiUrl(config: HubSpotConfig, path: string): string {
  return `${config.baseUrl.replace(/\/+$/, "")}${path}`;
}
