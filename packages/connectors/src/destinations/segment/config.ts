// Settings of a Segment-compatible HTTP Tracking API destination: Segment itself (US or EU region) or any
// server that takes the same /v1/batch calls with write-key basic auth, such as a RudderStack data plane.
import { z } from "zod";
import { isPrivateOrLoopbackHost } from "../../kit/network";

export const SEGMENT_US_URL = "https://api.segment.io";
export const SEGMENT_EU_URL = "https://events.eu1.segmentapis.com";

/** The base URL without a trailing slash or /v1(/batch), or a message saying what to fix. */
export function normalizeBaseUrl(text: string): { ok: true; value: string } | { ok: false; message: string } {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    return { ok: false, message: `Enter the Tracking API's base URL, e.g. ${SEGMENT_US_URL}` };
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return { ok: false, message: "Use an https:// URL" };
  if (url.username || url.password) {
    return { ok: false, message: "Remove the user name and password from the URL; the write key goes in its own field" };
  }
  if (url.search || url.hash) return { ok: false, message: "Remove the query string from the URL" };
  // The write key travels in every request: plain http only to a private or loopback address (an emulator
  // or a data plane inside the network, which the operator must allow anyway).
  if (url.protocol === "http:" && !isPrivateOrLoopbackHost(url.hostname)) {
    return { ok: false, message: `Use https:// for ${url.hostname}: the write key is sent with every request` };
  }
  const path = url.pathname.replace(/\/+$/, "").replace(/\/v1(\/batch)?$/, "");
  return { ok: true, value: `${url.origin}${path}` };
}

export const segmentConfigSchema = z.object({
  baseUrl: z
    .string()
    .default(SEGMENT_US_URL)
    .transform((text, ctx) => {
      const result = normalizeBaseUrl(text);
      if (result.ok) return result.value;
      ctx.addIssue({ code: "custom", message: result.message });
      return z.NEVER;
    })
    .describe(
      `Tracking API base URL: ${SEGMENT_US_URL} (default), ${SEGMENT_EU_URL} for EU workspaces, or a compatible server such as a RudderStack data plane URL. Batches go to <base URL>/v1/batch.`,
    ),
  writeKey: z
    .string()
    .trim()
    .min(1, "Enter the source's write key")
    .max(200)
    .regex(/^\S+$/, "A write key has no spaces")
    .describe("Write key of the HTTP API source (sent as HTTP basic auth); stored encrypted"),
  eventName: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .optional()
    .describe("Event name for the Track object when no column is mapped to `event`"),
  batchSize: z.coerce
    .number()
    .int()
    .min(1)
    .max(2_500)
    .default(500)
    .describe("Most messages per batch request (Segment takes up to 2,500, and 500 KB per request)"),
  requestsPerSecond: z.coerce
    .number()
    .positive()
    .max(100_000)
    .default(1_000)
    .describe("Requests per second Sluice may send (Segment asks for at most 1,000 per second per workspace)"),
});

export type SegmentConfig = z.infer<typeof segmentConfigSchema>;
export const SEGMENT_SECRET_FIELDS = ["writeKey"] as const;
