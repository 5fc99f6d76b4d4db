// One-off HubSpot calls outside batch delivery (test connection, the mapper's property list): the same
// guarded HTTP client, the same error classification, and errors that say what to fix.
import { FatalDestinationError } from "../../kit/delivery";
import { describeHttpError, findPrivateAddressError, type HttpResponse, httpRequest } from "../../kit/http";
import { apiUrl, type HubSpotConfig } from "./config";
import { classifyShared, describeError, parseError, parseJson } from "./responses";

export const CALL_TIMEOUT_MS = 10_000;

/** A user-facing failure of a one-off call (its message is ready to show). */
export class HubSpotCallError extends Error {
  override name = "HubSpotCallError";
}

export async function callHubSpot(
  config: HubSpotConfig,
  call: { method: "GET" | "POST"; path: string; body?: unknown; auth?: boolean; object?: string },
  options: { allowPrivate: boolean },
): Promise<{ response: HttpResponse; json: unknown }> {
  const url = apiUrl(config, call.path);
  let response: HttpResponse;
  try {
    response = await httpRequest({
      method: call.method,
      url,
      headers: {
        accept: "application/json",
        ...(call.auth === false ? {} : { authorization: `Bearer ${config.accessToken}` }),
        ...(call.body !== undefined ? { "content-type": "application/json" } : {}),
      },
      ...(call.body !== undefined ? { body: JSON.stringify(call.body) } : {}),
      allowPrivate: options.allowPrivate,
      connectTimeoutMs: CALL_TIMEOUT_MS,
      responseTimeoutMs: CALL_TIMEOUT_MS,
    });
  } catch (error) {
    const refused = findPrivateAddressError(error);
    if (refused) throw new HubSpotCallError(`The base URL is not allowed: ${refused.message}`);
    throw new HubSpotCallError(
      `Could not reach HubSpot at ${config.baseUrl} (${describeHttpError(error, { connectTimeoutMs: CALL_TIMEOUT_MS, responseTimeoutMs: CALL_TIMEOUT_MS })}). Check the base URL and the network.`,
    );
  }
  return { response, json: parseJson(response.body) };
}

/** Throws a clear error for any answer that is not 2xx (401/403 name the token and scopes to check). */
export function requireSuccess(
  response: HttpResponse,
  call: { method: string; path: string; object: string },
  config: HubSpotConfig,
): void {
  if (response.status >= 200 && response.status < 300) return;
  try {
    const verdict = classifyShared(response, { object: call.object, method: call.method, url: apiUrl(config, call.path) });
    if (verdict && verdict.status !== "ok") throw new HubSpotCallError(`${verdict.reason}; try again in a moment`);
  } catch (error) {
    if (error instanceof FatalDestinationError) throw new HubSpotCallError(error.message);
    throw error;
  }
  throw new HubSpotCallError(
    `HubSpot answered HTTP ${response.status}: ${describeError(parseError(response.body), response.body)}`,
  );
}
