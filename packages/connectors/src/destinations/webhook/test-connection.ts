// "Test connection" for a webhook: the URL is allowed, its host resolves (to allowed addresses), and
// the endpoint answers. Any HTTP status proves reachability; it is reported so a 401 can be fixed now.
import { lookup } from "node:dns/promises";
import net from "node:net";
import { WEBHOOK_SIGNATURE_HEADER } from "@sluice/contracts/webhook";
import { signWebhookBody } from "@sluice/contracts/webhook-signature";
import { isPrivateOrLoopbackHost } from "../../kit/network";
import { CheckFailure, type ConnectionCheck, runSteps } from "../../kit/spec";
import type { WebhookConfig } from "./config";

export const REQUEST_TIMEOUT_MS = 5_000;
const ALLOW_HINT =
  "Sluice refuses these so a destination cannot reach internal services; an operator can allow them with SLUICE_ALLOW_PRIVATE_DESTINATIONS=true.";

export async function testWebhookConnection(config: WebhookConfig, options: { allowPrivate: boolean }): Promise<ConnectionCheck> {
  const url = new URL(config.url);
  const host = url.hostname.replace(/^\[|\]$/g, "");
  return runSteps(
    [
      {
        name: "Check the URL",
        run: async () => {
          if (!options.allowPrivate && isPrivateOrLoopbackHost(host)) {
            throw new CheckFailure(`${host} is a private or loopback address. ${ALLOW_HINT}`);
          }
          return `${url.protocol}//${url.host} is allowed.`;
        },
      },
      {
        name: "Resolve the host",
        run: async () => {
          if (net.isIP(host)) return `${host} is an IP address; nothing to resolve.`;
          const addresses = await lookup(host, { all: true }).catch(() => {
            throw new CheckFailure(`The host "${host}" could not be found in DNS. Check its spelling.`);
          });
          // A public name can point at a private address; the literal check above cannot see that.
          const blocked = addresses.find((a) => isPrivateOrLoopbackHost(a.address));
          if (blocked && !options.allowPrivate) {
            throw new CheckFailure(`${host} resolves to ${blocked.address}, a private or loopback address. ${ALLOW_HINT}`);
          }
          return `${host} resolves to ${addresses.map((a) => a.address).join(", ")}.`;
        },
      },
      { name: "Reach the endpoint", run: () => probe(config) },
    ],
    (error) => (error instanceof Error ? error.message : String(error)),
  );
}

/** POSTs an empty, signed batch: receivers can recognise it by X-Sluice-Test and it writes nothing. */
async function probe(config: WebhookConfig): Promise<string> {
  const body = JSON.stringify({ syncId: "test", runId: "test", batchId: "test", records: [] });
  const headers: Record<string, string> = { ...config.headers, "content-type": "application/json", "x-sluice-test": "1" };
  if (config.signingSecret) headers[WEBHOOK_SIGNATURE_HEADER] = signWebhookBody(body, config.signingSecret);
  const started = performance.now();
  let response: Response;
  try {
    // No redirects: following one could lead to an address the checks above never saw.
    response = await fetch(config.url, {
      method: "POST",
      body,
      headers,
      redirect: "manual",
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    if ((error as Error).name === "TimeoutError") {
      throw new CheckFailure(
        `No answer within ${REQUEST_TIMEOUT_MS / 1000} s. Check the URL and any firewall in front of the endpoint.`,
      );
    }
    if (cause?.code === "ECONNREFUSED")
      throw new CheckFailure("Nothing accepted the connection. Check the port, and that the service is running.");
    throw new CheckFailure(`The request failed (${cause?.code ?? cause?.message ?? (error as Error).message}). Check the URL.`);
  }
  await response.body?.cancel().catch(() => {});
  const ms = Math.round(performance.now() - started);
  const status = `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ""}`;
  if (response.status === 401 || response.status === 403)
    return `Reachable, but it answered ${status} in ${ms} ms: check the headers.`;
  if (response.status >= 300 && response.status < 400)
    return `Reachable, but it answered ${status} (a redirect, not followed): use the final URL.`;
  return `The endpoint answered ${status} in ${ms} ms.`;
}
