// The receiving end: a webhook on 127.0.0.1 that accepts everything. It reads each body, parses it to
// count the records, and answers 200 `{}` (no `results` means every record is ok, issue 3 item 7). It runs
// in its own process so the bare pipe and the engine both pay for the sink the same way (on another core,
// not on their own event loop). Started by sink.ts over IPC; exits when its parent goes away.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

export type SinkRequest = { type: "stats" } | { type: "reset" };
export interface SinkStats {
  records: number;
  batches: number;
  bytes: number;
  errors: number;
}
export type SinkMessage = { type: "ready"; port: number } | { type: "stats"; stats: SinkStats };

const stats: SinkStats = { records: 0, batches: 0, bytes: 0, errors: 0 };

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (chunk: Buffer) => chunks.push(chunk));
  req.on("end", () => {
    const body = Buffer.concat(chunks);
    try {
      const parsed = JSON.parse(body.toString("utf8")) as { records?: unknown[] };
      stats.records += Array.isArray(parsed.records) ? parsed.records.length : 0;
      stats.batches++;
      stats.bytes += body.length;
      res.writeHead(200, { "content-type": "application/json", "content-length": "2" }).end("{}");
    } catch {
      stats.errors++;
      res.writeHead(400).end();
    }
  });
});
server.keepAliveTimeout = 30_000;

function send(message: SinkMessage): void {
  process.send?.(message);
}

process.on("message", (message: SinkRequest) => {
  if (message.type === "stats") send({ type: "stats", stats: { ...stats } });
  if (message.type === "reset") Object.assign(stats, { records: 0, batches: 0, bytes: 0, errors: 0 });
});
process.on("disconnect", () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});

server.listen(0, "127.0.0.1", () => send({ type: "ready", port: (server.address() as AddressInfo).port }));
