// "Test connection" for Braze: the REST endpoint may be reached, and the API key is accepted with the
// users.track permission. Braze has no "who am I" call for REST keys, so the check is a /users/track
// request that cannot change anything: one attributes object in "Update Only" mode for an external_id
// no real user has, with no attribute to set. users.delete cannot be checked without deleting; a mirror
// sync whose key lacks it fails on its first delete with a message naming the permission.
import { describeHttpError, findPrivateAddressError, httpRequest } from "../../kit/http";
import { bodyExcerpt } from "../../kit/http-destination";
import { isPrivateOrLoopbackHost } from "../../kit/network";
import { CheckFailure, type ConnectionCheck, runSteps } from "../../kit/spec";
import type { BrazeConfig } from "./config";

export const REQUEST_TIMEOUT_MS = 10_000;
export const PROBE_EXTERNAL_ID = "sluice-connection-test";
const ALLOW_HINT = "Sluice refuses these unless an operator sets SLUICE_ALLOW_PRIVATE_DESTINATIONS=true (for a local emulator).";

export async function testBrazeConnection(config: BrazeConfig, options: { allowPrivate: boolean }): Promise<ConnectionCheck> {
  const host = new URL(config.restEndpoint).hostname;
  return runSteps(
    [
      {
        name: "Check the REST endpoint",
        run: async () => {
          if (!options.allowPrivate && isPrivateOrLoopbackHost(host)) {
            throw new CheckFailure(`${host} is a private or loopback address. ${ALLOW_HINT}`);
          }
          return `${config.restEndpoint} is a Braze REST endpoint.`;
        },
      },
      { name: "Authenticate (users.track)", run: () => probeTrack(config, options.allowPrivate) },
    ],
    (error) => (error instanceof Error ? error.message : String(error)),
  );
}

async function probeTrack(config: BrazeConfig, allowPrivate: boolean): Promise<string> {
  const started = performance.now();
  let response: Awaited<ReturnType<typeof httpRequest>>;
  try {
    response = await httpRequest({
      method: "POST",
      url: `${config.restEndpoint}/users/track`,
      headers: { authorization: `Bearer ${config.apiKey}`, "content-type": "application/json" },
      body: JSON.stringify({ attributes: [{ external_id: PROBE_EXTERNAL_ID, _update_existing_only: true }] }),
      allowPrivate,
      connectTimeoutMs: REQUEST_TIMEOUT_MS,
      responseTimeoutMs: REQUEST_TIMEOUT_MS,
    });
  } catch (error) {
    const refused = findPrivateAddressError(error);
    if (refused) throw new CheckFailure(`${refused.message}.`);
    throw new CheckFailure(
      `Could not reach ${config.restEndpoint}: ${describeHttpError(error, { connectTimeoutMs: REQUEST_TIMEOUT_MS, responseTimeoutMs: REQUEST_TIMEOUT_MS })}. Check the REST endpoint.`,
    );
  }
  const ms = Math.round(performance.now() - started);
  const said = bodyExcerpt(response.body, 200);
  if (response.status >= 200 && response.status < 300) return `The API key is accepted with users.track (${ms} ms).`;
  if (response.status === 401 || response.status === 404) {
    throw new CheckFailure(
      `Braze does not know this REST API key (HTTP ${response.status}${said ? `: ${said}` : ""}). Copy the key again from Settings → APIs and Identifiers, and check that the endpoint is your instance's.`,
    );
  }
  if (response.status === 403) {
    throw new CheckFailure(
      `The REST API key lacks the users.track permission (HTTP 403${said ? `: ${said}` : ""}). Edit the key in Braze (Settings → APIs and Identifiers → API Keys) and add users.track, plus users.delete for mirror syncs.`,
    );
  }
  if (response.status === 429) {
    throw new CheckFailure("Braze answered HTTP 429: the workspace is over its rate limit right now. Try again in a minute.");
  }
  throw new CheckFailure(`Braze answered HTTP ${response.status}${said ? `: ${said}` : ""}. Check the REST endpoint.`);
}
