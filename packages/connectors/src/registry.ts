// Every connector Sluice ships, by slug. Adding one is a folder plus a line here.
import { brazeDestination } from "./destinations/braze";
import { hubspotDestination } from "./destinations/hubspot";
import { mysqlTableDestination } from "./destinations/mysql-table";
import { postgresTableDestination } from "./destinations/postgres-table";
import { salesforceDestination } from "./destinations/salesforce";
import { segmentDestination } from "./destinations/segment";
import { webhookDestination } from "./destinations/webhook";
import type { DestinationConnector, WarehouseConnector } from "./kit/spec";
import { postgresWarehouse } from "./warehouses/postgres";

// Config types differ per connector; callers validate with `configSchema` before calling testConnection,
// which is why a connector typed for its own config can stand in for `unknown` here.
type AnyWarehouse = WarehouseConnector<unknown>;
type AnyDestination = DestinationConnector<unknown>;

const WAREHOUSES: Record<string, AnyWarehouse> = { [postgresWarehouse.slug]: postgresWarehouse };
const DESTINATIONS: Record<string, AnyDestination> = {
  [webhookDestination.slug]: webhookDestination,
  [brazeDestination.slug]: brazeDestination,
  [hubspotDestination.slug]: hubspotDestination,
  [mysqlTableDestination.slug]: mysqlTableDestination,
  [postgresTableDestination.slug]: postgresTableDestination,
  [salesforceDestination.slug]: salesforceDestination,
  [segmentDestination.slug]: segmentDestination,
};

export function getWarehouse(slug: string): AnyWarehouse | undefined {
  return Object.hasOwn(WAREHOUSES, slug) ? WAREHOUSES[slug] : undefined;
}

export function getDestination(slug: string): AnyDestination | undefined {
  return Object.hasOwn(DESTINATIONS, slug) ? DESTINATIONS[slug] : undefined;
}

export function listWarehouses(): AnyWarehouse[] {
  return Object.values(WAREHOUSES);
}

export function listDestinations(): AnyDestination[] {
  return Object.values(DESTINATIONS);
}
