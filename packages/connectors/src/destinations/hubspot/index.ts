import type { DestinationConnector } from "../../kit/spec";
import { HUBSPOT_SECRET_FIELDS, type HubSpotConfig, hubspotConfigSchema } from "./config";
import { hubspotContract } from "./contract";
import { hubspotDriver } from "./deliver";
import { listHubSpotFields } from "./list-fields";
import { testHubSpotConnection } from "./test-connection";

export { type HubSpotConfig, hubspotConfigSchema } from "./config";
export { hubspotContract } from "./contract";
export { deliverHubSpotBatch, hubspotDriver } from "./deliver";

/** HubSpot CRM v3 contacts and companies, through a private app's access token. */
export const hubspotDestination: DestinationConnector<HubSpotConfig> = {
  slug: "hubspot",
  name: "HubSpot",
  kind: "destination",
  description: "Create, update, upsert and archive HubSpot contacts and companies (CRM v3 batch APIs, private app token).",
  configSchema: hubspotConfigSchema,
  secretFields: HUBSPOT_SECRET_FIELDS,
  testConnection: testHubSpotConnection,
  contract: hubspotContract,
  driver: hubspotDriver,
  listFields: listHubSpotFields,
  docsUrl: "https://developers.hubspot.com/docs/api-reference/legacy/crm/objects/contacts/batch/upsert-contacts",
};
