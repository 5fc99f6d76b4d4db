// Test-only: a local webhook receiver speaking Sluice's wire format (packages/contracts webhook.ts). It
// records every record it receives and answers per record as the test scripts it.
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { WebhookBatch, WebhookRecord, WebhookResult } from "@sluice/contracts/webhook";

export interface Received extends WebhookRecord {
  batchId: string;
  runId: string;
}

export interface SinkBehaviour {
  /** Per-record answer; default ok. */
  answer?: (record: WebhookRecord, batch: WebhookBatch) => WebhookResult;
  /** HTTP status for the whole batch (e.g. 401); the body then carries no results. */
  status?: (batch: WebhookBatch) => number | undefined;
  /** Runs before the answer is sent (pause/cancel a run mid-delivery, kill a worker, slow down). */
  beforeAnswer?: (batch: WebhookBatch, index: number) => Promise<void> | void;
}

export interface Sink {
  url: string;
  received: Received[];
  batches: WebhookBatch[];
  behaviour: SinkBehaviour;
  reset(): void;
  close(): Promise<void>;
}

export async function startSink(behaviour: SinkBehaviour = {}): Promise<Sink> {
  let server: Server | undefined;
  const sink: Sink = {
    url: "",
    received: [],
    batches: [],
    behaviour,
    reset() {
      sink.received.length = 0;
      sink.batches.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server?.closeAllConnections();
        server?.close(() => resolve());
      }),
  };
  server = createServer((req, res) => {
    void (async () => {
      const batch = JSON.parse(await readBody(req)) as WebhookBatch;
      const index = sink.batches.length;
      sink.batches.push(batch);
      for (const r of batch.records) sink.received.push({ ...r, batchId: batch.batchId, runId: batch.runId });
      await sink.behaviour.beforeAnswer?.(batch, index);
      const status = sink.behaviour.status?.(batch);
      if (status !== undefined) {
        res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify({ error: `status ${status}` }));
        return;
      }
      const results = batch.records.map((r) => sink.behaviour.answer?.(r, batch) ?? { status: "ok" as const });
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ results }));
    })().catch((error: unknown) => {
      res.writeHead(500).end(String(error));
    });
  });
  await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  sink.url = `http://127.0.0.1:${port}/ingest`;
  return sink;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}
