// The worker's health endpoint: GET /health answers 200 when the control-plane database responds,
// 503 when it does not (so an orchestrator restarts or stops routing to this worker). GET /metrics serves
// the Prometheus metrics when a registry is given. Nothing else is served.
import http from "node:http";
import { type Db, pingDb } from "@sluice/db";
import type { Registry } from "prom-client";

export interface HealthBody {
  status: "ok" | "error";
  database: { ok: true; latencyMs: number } | { ok: false; error: string };
}

export function createHealthServer(o: { db: Db; pingTimeoutMs?: number; metrics?: Registry }): http.Server {
  return http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://worker");
    const { metrics } = o;
    if (metrics && url.pathname === "/metrics" && (req.method === "GET" || req.method === "HEAD")) {
      metrics.metrics().then(
        (text) => {
          res.writeHead(200, { "content-type": metrics.contentType, "cache-control": "no-store" });
          res.end(req.method === "HEAD" ? undefined : text);
        },
        (error: unknown) => send(res, 500, { error: String(error) }),
      );
      return;
    }
    if (url.pathname !== "/health" || (req.method !== "GET" && req.method !== "HEAD")) {
      send(res, 404, { error: "not found" });
      return;
    }
    pingDb(o.db, o.pingTimeoutMs).then(
      (database) => send(res, database.ok ? 200 : 503, { status: database.ok ? "ok" : "error", database } satisfies HealthBody),
      (error: unknown) => send(res, 503, { status: "error", database: { ok: false, error: String(error) } } satisfies HealthBody),
    );
  });
}

function send(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json",
    "cache-control": "no-store",
    "content-length": Buffer.byteLength(text),
  });
  res.end(res.req.method === "HEAD" ? undefined : text);
}

/** Listens on `port` (0 = any free port) and resolves with the port actually bound. */
export function listen(server: http.Server, port: number, host?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      const address = server.address();
      resolve(typeof address === "object" && address ? address.port : port);
    });
  });
}

/** Stops accepting connections and closes idle keep-alive sockets; resolves when the server is closed. */
export function closeServer(server: http.Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    server.close(() => resolve());
    server.closeIdleConnections();
  });
}
