// One outbound HTTP request for a destination, with the guards every destination needs: a connect timeout,
// a response timeout (headers and each body chunk), no redirects, a bounded
// response body, and — unless the operator allows it — no connection to a private or loopback address.
// The address check runs inside the connection's own DNS lookup, so a name cannot resolve to a public
// address for a check and to a private one for the connection (DNS rebinding).
import dns from "node:dns";
import type net from "node:net";
import { Agent, request } from "undici";
import { isPrivateOrLoopbackHost } from "./network";

export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
export const DEFAULT_RESPONSE_TIMEOUT_MS = 30_000;
export const DEFAULT_MAX_RESPONSE_BYTES = 8 * 1024 * 1024;

export interface HttpRequest {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  url: string;
  headers: Record<string, string>;
  /** Text, or bytes (a gzip-compressed body). */
  body?: string | Buffer;
  /** Let the request reach loopback/private addresses (SLUICE_ALLOW_PRIVATE_DESTINATIONS). */
  allowPrivate: boolean;
  connectTimeoutMs?: number;
  /** Longest wait for the response headers, and between two chunks of the body. */
  responseTimeoutMs?: number;
  /** Bytes of the response body kept; the rest is discarded and `truncated` set. */
  maxResponseBytes?: number;
  signal?: AbortSignal;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  truncated: boolean;
}

/** The destination's host is, or resolves to, a private or loopback address and that is not allowed. */
export class PrivateAddressError extends Error {
  override name = "PrivateAddressError";
  constructor(
    readonly host: string,
    readonly address: string,
  ) {
    super(
      host === address
        ? `${host} is a private or loopback address; Sluice refuses these unless SLUICE_ALLOW_PRIVATE_DESTINATIONS=true`
        : `${host} resolves to ${address}, a private or loopback address; Sluice refuses these unless SLUICE_ALLOW_PRIVATE_DESTINATIONS=true`,
    );
  }
}

const agents = new Map<string, Agent>();

/** Agents are shared (keep-alive across batches), one per (allowPrivate, connect timeout). */
function agentFor(allowPrivate: boolean, connectTimeoutMs: number): Agent {
  const key = `${allowPrivate}:${connectTimeoutMs}`;
  let agent = agents.get(key);
  if (!agent) {
    agent = new Agent({
      connect: { timeout: connectTimeoutMs, ...(allowPrivate ? {} : { lookup: publicOnlyLookup }) },
      keepAliveTimeout: 4_000,
    });
    agents.set(key, agent);
  }
  return agent;
}

/** dns.lookup that fails with PrivateAddressError when any address of the name is private or loopback. */
export const publicOnlyLookup = ((hostname: string, options: dns.LookupOptions, callback: (...args: unknown[]) => void) => {
  dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error);
    const blocked = addresses.find((a) => isPrivateOrLoopbackHost(a.address));
    if (blocked) return callback(new PrivateAddressError(hostname, blocked.address));
    if (options.all) return callback(null, addresses);
    const first = addresses[0];
    if (!first) return callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: "ENOTFOUND" }));
    callback(null, first.address, first.family);
  });
}) as unknown as net.LookupFunction;

export async function httpRequest(req: HttpRequest): Promise<HttpResponse> {
  const url = new URL(req.url);
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (!req.allowPrivate && isPrivateOrLoopbackHost(host)) throw new PrivateAddressError(host, host);
  const responseTimeoutMs = req.responseTimeoutMs ?? DEFAULT_RESPONSE_TIMEOUT_MS;
  const response = await request(url, {
    method: req.method,
    headers: req.headers,
    body: req.body,
    dispatcher: agentFor(req.allowPrivate, req.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS),
    headersTimeout: responseTimeoutMs,
    bodyTimeout: responseTimeoutMs,
    signal: req.signal,
  });
  const limit = req.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const chunks: Buffer[] = [];
  let size = 0;
  let truncated = false;
  for await (const chunk of response.body) {
    const buffer = chunk as Buffer;
    if (size + buffer.length > limit) {
      chunks.push(buffer.subarray(0, limit - size));
      truncated = true;
      response.body.destroy();
      break;
    }
    chunks.push(buffer);
    size += buffer.length;
  }
  return { status: response.statusCode, headers: response.headers, body: Buffer.concat(chunks).toString("utf8"), truncated };
}

/** The PrivateAddressError behind `error`, if any (undici may wrap connection errors). */
export function findPrivateAddressError(error: unknown): PrivateAddressError | undefined {
  for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (e instanceof PrivateAddressError) return e;
  }
  return undefined;
}

/** A short, user-readable description of a failed request (timeouts, refused connections, DNS). */
export function describeHttpError(error: unknown, o: { connectTimeoutMs?: number; responseTimeoutMs?: number } = {}): string {
  const e = error as { code?: string; message?: string; cause?: { code?: string; message?: string } };
  const code = e?.code ?? e?.cause?.code;
  const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;
  switch (code) {
    case "UND_ERR_CONNECT_TIMEOUT":
      return `could not connect within ${seconds(o.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS)}`;
    case "UND_ERR_HEADERS_TIMEOUT":
      return `no response within ${seconds(o.responseTimeoutMs ?? DEFAULT_RESPONSE_TIMEOUT_MS)}`;
    case "UND_ERR_BODY_TIMEOUT":
      return `the response body stalled for ${seconds(o.responseTimeoutMs ?? DEFAULT_RESPONSE_TIMEOUT_MS)}`;
    case "ECONNREFUSED":
      return "connection refused";
    case "ECONNRESET":
    case "UND_ERR_SOCKET":
      return "the connection was closed before the response was complete";
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return "the host could not be resolved in DNS";
    default:
      return `request failed: ${code ?? e?.message ?? String(error)}`;
  }
}

/**
 * A signal that aborts `graceMs` after `signal` does: an in-flight request gets that long to finish once
 * a worker starts draining, and is cut off after. Call `dispose()` when the request is over.
 */
export function delayedAbortSignal(signal: AbortSignal | undefined, graceMs: number): { signal?: AbortSignal; dispose(): void } {
  if (!signal) return { dispose: () => {} };
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const onAbort = () => {
    timer = setTimeout(() => controller.abort(signal.reason), graceMs);
  };
  if (signal.aborted) onAbort();
  else signal.addEventListener("abort", onAbort, { once: true });
  return {
    signal: controller.signal,
    dispose: () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", onAbort);
    },
  };
}
