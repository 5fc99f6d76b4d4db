// "Test connection" for a Segment-compatible Tracking API: the base URL may be reached, and a batch with
// no messages is accepted with the write key. Segment's own edge answers 200 to any write key (it checks
// keys later and drops what a wrong key sent), so a pass proves reachability there, and the key only on
// servers that check it at once (RudderStack answers 401 to an unknown key).
import { describeHttpError, findPrivateAddressError, httpRequest } from "../../kit/http";
import { bodyExcerpt } from "../../kit/http-destination";
import { isPrivateOrLoopbackHost } from "../../kit/network";
import { CheckFailure, type ConnectionCheck, runSteps } from "../../kit/spec";
import { SEGMENT_EU_URL, SEGMENT_US_URL, type SegmentConfig } from "./config";

export const REQUEST_TIMEOUT_MS = 10_000;
const ALLOW_HINT =
  "Sluice refuses these unless an operator sets SLUICE_ALLOW_PRIVATE_DESTINATIONS=true (for a self-hosted data plane or an emulator).";

export async function testSegmentConnection(config: SegmentConfig, options: { allowPrivate: boolean }): Promise<ConnectionCheck> {
  const host = new URL(config.baseUrl).hostname;
  return runSteps(
    [
      {
        name: "Check the base URL",
        run: async () => {
          if (!options.allowPrivate && isPrivateOrLoopbackHost(host)) {
            throw new CheckFailure(`${host} is a private or loopback address. ${ALLOW_HINT}`);
          }
          return `Batches go to ${config.baseUrl}/v1/batch.`;
        },
      },
      { name: "Send an empty batch", run: () => probe(config, options.allowPrivate) },
    ],
    (error) => (error instanceof Error ? error.message : String(error)),
  );
}

async function probe(config: SegmentConfig, allowPrivate: boolean): Promise<string> {
  const url = `${config.baseUrl}/v1/batch`;
  const started = performance.now();
  let response: Awaited<ReturnType<typeof httpRequest>>;
  try {
    response = await httpRequest({
      method: "POST",
      url,
      headers: {
        authorization: `Basic ${Buffer.from(`${config.writeKey}:`).toString("base64")}`,
        "content-type": "application/json",
      },
      body: JSON.stringify({ batch: [] }),
      allowPrivate,
      connectTimeoutMs: REQUEST_TIMEOUT_MS,
      responseTimeoutMs: REQUEST_TIMEOUT_MS,
    });
  } catch (error) {
    const refused = findPrivateAddressError(error);
    if (refused) throw new CheckFailure(`${refused.message}.`);
    const why = describeHttpError(error, { connectTimeoutMs: REQUEST_TIMEOUT_MS, responseTimeoutMs: REQUEST_TIMEOUT_MS });
    throw new CheckFailure(`Could not reach ${url}: ${why}. Check the base URL.`);
  }
  const ms = Math.round(performance.now() - started);
  const said = bodyExcerpt(response.body, 200);
  const { status } = response;
  if (status >= 200 && status < 300) {
    const segment = config.baseUrl === SEGMENT_US_URL || config.baseUrl === SEGMENT_EU_URL;
    return segment
      ? `Segment accepted the request (HTTP ${status}, ${ms} ms). Segment does not confirm write keys here: if events do not show in the source's debugger, check the key.`
      : `The endpoint accepted the write key (HTTP ${status}, ${ms} ms).`;
  }
  if (status === 401 || status === 403) {
    throw new CheckFailure(
      `The write key was refused (HTTP ${status}${said ? `: ${said}` : ""}). Copy it again from the source's settings (Segment: Connections → Sources → your HTTP API source → Settings → API Keys).`,
    );
  }
  if (status === 404) throw new CheckFailure(`There is no batch endpoint at ${url} (HTTP 404). Check the base URL.`);
  // Past authentication, a server may still refuse an empty batch; the key was accepted all the same.
  if (status === 400)
    return `The endpoint accepted the write key and refused the empty test batch (HTTP 400${said ? `: ${said}` : ""}).`;
  if (status === 429) throw new CheckFailure("The endpoint answered HTTP 429 (rate limited). Try again in a minute.");
  throw new CheckFailure(`The endpoint answered HTTP ${status}${said ? `: ${said}` : ""}. Check the base URL.`);
}
