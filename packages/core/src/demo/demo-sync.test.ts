// The one-click demo really flows: its sync runs through the engine, the signed webhook reaches the inbox
// over HTTP, and the inbox holds what the warehouse changed.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { WEBHOOK_SIGNATURE_HEADER } from "@sluice/contracts/webhook";
import { createScratchDatabase, testDatabaseUrl } from "@sluice/db/testing";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Services } from "../context";
import { ensureQueue } from "../queue/ensure-queue";
import { runSync } from "../runs/testing/fixtures";
import { testServices, workspaceWithRole } from "../testing/fixtures";
import { listDemoInbox } from "./list-demo-inbox";
import { loadDemo } from "./load-demo";
import { receiveDemoBatch } from "./receive-demo-batch";

let s: Services;
let warehouseUrl: string;
let server: http.Server;
let publicUrl: string;

beforeAll(async () => {
  s = testServices({ allowPrivateDestinations: true });
  await ensureQueue(testDatabaseUrl());
  warehouseUrl = await createScratchDatabase("demo_sync");
  // Stands in for the web app's POST /api/demo-inbox/[destinationId] route, which calls the same function.
  server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const destinationId = (req.url ?? "").split("/").pop() ?? "";
    const header = req.headers[WEBHOOK_SIGNATURE_HEADER.toLowerCase()];
    const result = await receiveDemoBatch(s, {
      destinationId,
      body: Buffer.concat(chunks).toString("utf8"),
      signature: typeof header === "string" ? header : undefined,
    });
    res.writeHead(result.status, { "content-type": "application/json" }).end(JSON.stringify(result.body));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  publicUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

describe("the demo sync", () => {
  it("delivers every customer to the inbox, then only what changed", async () => {
    const ctx = await workspaceWithRole(s, "admin");
    const demo = await loadDemo(ctx, { warehouseUrl, publicUrl });

    const first = await runSync(ctx, demo.syncId);
    expect(first.status).toBe("succeeded");
    expect(first.counts).toMatchObject({ planned: 3000, added: 3000, delivered: 3000, rejected: 0, failed: 0 });
    const inbox = await listDemoInbox(ctx, { destinationId: demo.destinationId, limit: 1 });
    expect(inbox.total).toBe(3000);
    expect(inbox.items[0]?.data).toMatchObject({ source: "sluice-demo", traits: { plan: expect.any(String) } });

    const client = new pg.Client({ connectionString: warehouseUrl });
    await client.connect();
    await client.query("update demo.customers set lifetime_value_usd = lifetime_value_usd + 1 where id = 7");
    await client.query("update demo.customers set phone = '+1 555 0100' where id = 9"); // unmapped: nothing to send
    await client.query("delete from demo.customers where id = 8");
    await client.end();

    const second = await runSync(ctx, demo.syncId);
    expect(second.status).toBe("succeeded");
    expect(second.fullResync).toBe(false);
    expect(second.counts).toMatchObject({ planned: 2, changed: 1, removed: 1, delivered: 2 });
    const latest = await listDemoInbox(ctx, { destinationId: demo.destinationId, limit: 2 });
    expect(latest.total).toBe(3002);
    expect(latest.items.map((r) => [r.op, r.recordKey])).toEqual(
      expect.arrayContaining([
        ["update", { id: 7 }],
        ["delete", { id: 8 }],
      ]),
    );
  });
});
