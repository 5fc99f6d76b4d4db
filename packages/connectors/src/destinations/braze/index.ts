import type { DestinationConnector } from "../../kit/spec";
import { BRAZE_SECRET_FIELDS, type BrazeConfig, brazeConfigSchema } from "./config";
import { brazeContract } from "./contract";
import { brazeDriver } from "./deliver";
import { testBrazeConnection } from "./test-connection";

export { type BrazeConfig, brazeConfigSchema } from "./config";
export { brazeContract } from "./contract";
export { brazeDriver } from "./deliver";

export const brazeDestination: DestinationConnector<BrazeConfig> = {
  slug: "braze",
  name: "Braze",
  kind: "destination",
  description:
    "Update Braze user profiles (attributes) or log custom events with /users/track, keyed by external_id; mirror syncs delete removed users.",
  configSchema: brazeConfigSchema,
  secretFields: BRAZE_SECRET_FIELDS,
  testConnection: testBrazeConnection,
  contract: brazeContract,
  driver: brazeDriver,
  docsUrl: "https://www.braze.com/docs/api/endpoints/user_data/post_user_track/",
};
