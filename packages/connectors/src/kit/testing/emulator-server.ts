// Test support for the destination emulators: a node:http server on 127.0.0.1 that reads each request's
// body (up to a cap), and the pieces the JSON API emulators (Braze, Segment) share — a request log whose
// entries note the status answered, forced 429 storms and forced statuses, a fixed rate window. What each
// vendor documents (routes, auth, caps, error shapes, rate headers) stays in its own emulator.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface ReceivedBody {
  /** The bytes kept: all of them, or those that arrived before the cap was passed. */
  raw: Buffer;
  /** Bytes received, those past the cap included. */
  size: number;
}

export interface EmulatorServer {
  url: string;
  close(): Promise<void>;
}

/** Listens on a free port of 127.0.0.1 and hands `handle` each request once its body has been read. */
export async function startEmulatorServer(
  handle: (req: IncomingMessage, body: ReceivedBody, res: ServerResponse) => void,
  o: { maxBodyBytes?: number } = {},
): Promise<EmulatorServer> {
  const cap = o.maxBodyBytes ?? Number.POSITIVE_INFINITY;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= cap) chunks.push(chunk);
    });
    req.on("end", () => handle(req, { raw: Buffer.concat(chunks), size }, res));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export function sendJson(res: ServerResponse, status: number, json: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(json));
}

/** A request as a JSON API emulator records it. */
export interface RecordedJsonRequest {
  method: string;
  path: string;
  authorization: string | undefined;
  contentType: string | undefined;
  /** The parsed JSON body (undefined when it was not JSON). */
  body: unknown;
  bytes: number;
  status: number;
}

/** Parses the request, adds it to `log`, and gives the answer function that notes the status on that entry. */
export function recordJsonRequest(
  req: IncomingMessage,
  received: ReceivedBody,
  res: ServerResponse,
  log: RecordedJsonRequest[],
): { path: string; body: unknown; send: (status: number, json: unknown, headers?: Record<string, string>) => void } {
  const path = (req.url ?? "/").split("?")[0] ?? "/";
  let body: unknown;
  try {
    body = JSON.parse(received.raw.toString("utf8"));
  } catch {
    body = undefined;
  }
  const recorded: RecordedJsonRequest = {
    method: req.method ?? "",
    path,
    authorization: req.headers.authorization,
    contentType: req.headers["content-type"],
    body,
    bytes: received.size,
    status: 0,
  };
  log.push(recorded);
  const send = (status: number, json: unknown, headers: Record<string, string> = {}) => {
    recorded.status = status;
    sendJson(res, status, json, headers);
  };
  return { path, body, send };
}

/** Faults a test can force on an emulator; tests may also set these fields directly. */
export interface EmulatorFaults {
  /** Requests accepted per fixed window before 429. */
  rateLimit?: { requests: number; perMs: number };
  /** Every request until this epoch ms answers 429. */
  stormUntil?: number;
  /** A storm of this many ms starts at the next request (so it cannot end before the client arrives). */
  stormOnNextMs?: number;
  /** The next N requests answer `failStatus` (default 500). */
  failNext?: number;
  failStatus?: number;
}

export interface FaultControls {
  /** Answer 429 to everything for `ms`. */
  stormFor(ms: number): void;
  /** Answer 429 to everything for `ms` from the next request on. */
  stormFromNextRequest(ms: number): void;
  /** Answer `status` (default 500) to the next `n` requests. */
  failNext(n: number, status?: number): void;
}

/** Controls over the faults `faults()` returns (read at each call, so a replaced object is the one changed). */
export function faultControls(faults: () => EmulatorFaults): FaultControls {
  return {
    stormFor(ms) {
      faults().stormUntil = Date.now() + ms;
    },
    stormFromNextRequest(ms) {
      faults().stormOnNextMs = ms;
    },
    failNext(n, status = 500) {
      faults().failNext = n;
      faults().failStatus = status;
    },
  };
}

/** The end (epoch ms) of the storm this request arrives in, starting a pending one; undefined when none. */
export function stormEnd(faults: EmulatorFaults, now: number): number | undefined {
  if (faults.stormOnNextMs !== undefined) {
    faults.stormUntil = now + faults.stormOnNextMs;
    faults.stormOnNextMs = undefined;
  }
  const until = faults.stormUntil ?? 0;
  return now < until ? until : undefined;
}

/** The status forced on this request (one fewer left to force), or undefined. */
export function takeForcedStatus(faults: EmulatorFaults): number | undefined {
  if ((faults.failNext ?? 0) <= 0) return undefined;
  faults.failNext = (faults.failNext ?? 1) - 1;
  return faults.failStatus ?? 500;
}

/** Requests counted in fixed windows of `perMs` that start with the first request after the last one ended. */
export class FixedWindow {
  private start = 0;
  private count = 0;

  /** Counts this request: how many the window holds now, when it ends (epoch ms) and whether it is over. */
  take(limit: { requests: number; perMs: number }, now: number): { count: number; endsAt: number; limited: boolean } {
    if (now >= this.start + limit.perMs) {
      this.start = now;
      this.count = 0;
    }
    this.count++;
    return { count: this.count, endsAt: this.start + limit.perMs, limited: this.count > limit.requests };
  }

  reset(): void {
    this.start = 0;
    this.count = 0;
  }
}
