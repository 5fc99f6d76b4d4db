import type { DestinationConnector } from "../../kit/spec";
import { SALESFORCE_SECRET_FIELDS, type SalesforceConfig, salesforceConfigSchema } from "./config";
import { salesforceContract } from "./contract";
import { salesforceDriver } from "./deliver";
import { listSalesforceFields } from "./list-fields";
import { testSalesforceConnection } from "./test-connection";

export { type SalesforceConfig, salesforceConfigSchema } from "./config";
export { salesforceContract } from "./contract";
export { deliverSalesforceBatch, salesforceDriver } from "./deliver";

export const salesforceDestination: DestinationConnector<SalesforceConfig> = {
  slug: "salesforce",
  name: "Salesforce",
  kind: "destination",
  description:
    "Upsert, insert, update and mirror Contacts, Leads and Accounts through sObject Collections (Bulk API 2.0 for large batches), matched on an External ID field.",
  configSchema: salesforceConfigSchema,
  secretFields: SALESFORCE_SECRET_FIELDS,
  testConnection: testSalesforceConnection,
  contract: salesforceContract,
  driver: salesforceDriver,
  listFields: listSalesforceFields,
  docsUrl: "https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/intro_rest.htm",
};
