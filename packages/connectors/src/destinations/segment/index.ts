import type { DestinationConnector } from "../../kit/spec";
import { SEGMENT_SECRET_FIELDS, type SegmentConfig, segmentConfigSchema } from "./config";
import { segmentContract } from "./contract";
import { segmentDriver } from "./deliver";
import { testSegmentConnection } from "./test-connection";

export { type SegmentConfig, segmentConfigSchema } from "./config";
export { segmentContract } from "./contract";
export { segmentDriver } from "./deliver";

export const segmentDestination: DestinationConnector<SegmentConfig> = {
  slug: "segment",
  name: "Segment (HTTP Tracking API)",
  kind: "destination",
  description:
    "Send Identify, Track or Group calls in batches to Segment's HTTP Tracking API, or to a compatible one such as RudderStack's; each call carries a messageId for deduplication.",
  configSchema: segmentConfigSchema,
  secretFields: SEGMENT_SECRET_FIELDS,
  testConnection: testSegmentConnection,
  contract: segmentContract,
  driver: segmentDriver,
  docsUrl: "https://segment.com/docs/connections/sources/catalog/libraries/server/http-api/",
};
