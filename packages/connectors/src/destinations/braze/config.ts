// Braze destination settings. The REST endpoint is the one of the customer's instance (cluster); the
// dashboard URL or an arbitrary host is refused so a key is never sent somewhere that is not Braze.
// A loopback or private address is accepted for a local emulator; the operator switch
// SLUICE_ALLOW_PRIVATE_DESTINATIONS still decides at send time whether it may be reached.
import { z } from "zod";
import { isPrivateOrLoopbackHost } from "../../kit/network";

/** REST hosts as Braze lists them: rest.iad-01.braze.com, rest.us-10.braze.com, rest.fra-01.braze.eu, … */
const BRAZE_REST_HOST = /^rest\.[a-z]{2,4}-\d{2}\.braze\.(com|eu)$/;
const EXAMPLE = "https://rest.iad-01.braze.com";

/** The endpoint as an origin (no trailing slash), or a message saying what to fix. */
export function normalizeRestEndpoint(text: string): { ok: true; value: string } | { ok: false; message: string } {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    return { ok: false, message: `Enter your instance's REST endpoint URL, e.g. ${EXAMPLE}` };
  }
  const host = url.hostname.toLowerCase().replace(/^\[|\]$/g, "");
  if (url.username || url.password) return { ok: false, message: "Remove the user name and password from the URL" };
  if (url.search || url.hash || (url.pathname !== "/" && url.pathname !== "")) {
    return { ok: false, message: `Enter only the endpoint, without a path (e.g. ${EXAMPLE}, not ${EXAMPLE}/users/track)` };
  }
  const local = isPrivateOrLoopbackHost(host);
  if (!local) {
    if (/^dashboard[.-]/.test(host) || /^sdk\./.test(host)) {
      return {
        ok: false,
        message: `${host} is a dashboard or SDK address; use the REST endpoint of the same instance, e.g. ${EXAMPLE} (Braze: Settings → APIs and Identifiers)`,
      };
    }
    if (!BRAZE_REST_HOST.test(host)) {
      return {
        ok: false,
        message: `${host} is not a Braze REST endpoint; it looks like rest.<instance>.braze.com, e.g. ${EXAMPLE}`,
      };
    }
    if (url.protocol !== "https:") return { ok: false, message: `Braze REST endpoints use https://, e.g. ${EXAMPLE}` };
  } else if (url.protocol !== "https:" && url.protocol !== "http:") {
    return { ok: false, message: "Use an http:// or https:// URL" };
  }
  return { ok: true, value: url.origin };
}

export const brazeConfigSchema = z.object({
  restEndpoint: z
    .string()
    .transform((text, ctx) => {
      const result = normalizeRestEndpoint(text);
      if (result.ok) return result.value;
      ctx.addIssue({ code: "custom", message: result.message });
      return z.NEVER;
    })
    .describe(`Your instance's REST endpoint, e.g. ${EXAMPLE} (Braze: Settings → APIs and Identifiers)`),
  apiKey: z
    .string()
    .trim()
    .min(1, "Enter a REST API key")
    .max(200)
    .regex(/^\S+$/, "An API key has no spaces")
    .describe("REST API key with the users.track permission (and users.delete for mirror syncs); stored encrypted"),
  eventName: z
    .string()
    .trim()
    .min(1)
    .max(255)
    .optional()
    .describe("Custom event name used by the Custom events object when no column is mapped to `name`"),
  batchSize: z.coerce
    .number()
    .int()
    .min(1)
    .max(75)
    .default(75)
    .describe("Objects per /users/track request (at most 75; accounts on the MAU CY 24-25 plan allow 50 in all)"),
  requestsPerSecond: z.coerce
    .number()
    .positive()
    .max(100_000)
    .default(1_000)
    .describe("Requests per second Sluice may send to this workspace (Braze's default: 3,000 per 3 seconds)"),
});

export type BrazeConfig = z.infer<typeof brazeConfigSchema>;
export const BRAZE_SECRET_FIELDS = ["apiKey"] as const;
