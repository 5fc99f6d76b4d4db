import type { WebhookBatch } from "@sluice/contracts/webhook";
import { signWebhookBody } from "@sluice/contracts/webhook-signature";
import { beforeAll, describe, expect, it } from "vitest";
import type { Services, WorkspaceContext } from "../context";
import { createDestination } from "../destinations/create-destination";
import { updateDestination } from "../destinations/update-destination";
import { asRole, errorCode, testServices, workspaceWithRole } from "../testing/fixtures";
import { demoInboxUrl } from "./demo-inbox";
import { listDemoInbox } from "./list-demo-inbox";
import { receiveDemoBatch } from "./receive-demo-batch";

const PUBLIC_URL = "http://localhost:3000";
const SECRET = "a-signing-secret-of-some-length";

let s: Services;
let ctx: WorkspaceContext;

/** A webhook destination pointing at its own demo inbox, as loadDemo registers it. */
async function demoInbox(c: WorkspaceContext, name: string, signingSecret?: string): Promise<string> {
  const config = { url: demoInboxUrl(PUBLIC_URL, "pending"), ...(signingSecret ? { signingSecret } : {}) };
  const { id } = await createDestination(c, { name, type: "webhook", config });
  await updateDestination(c, { id, config: { url: demoInboxUrl(PUBLIC_URL, id) } });
  return id;
}

let batchNo = 0;
function batch(records: WebhookBatch["records"]): WebhookBatch {
  batchNo += 1;
  return { syncId: "sync_1", runId: "run_1", batchId: `batch_${batchNo}`, records };
}
const upsert = (id: number, op: "insert" | "update" = "insert") => ({
  op,
  key: { id },
  data: { email: `u${id}@example.com`, traits: { plan: "growth" } },
  idempotencyKey: `k${id}-${op}`,
});

beforeAll(async () => {
  s = testServices();
  ctx = await workspaceWithRole(s, "admin");
});

describe("receiveDemoBatch", () => {
  it("stores each record and answers one result per record, in order", async () => {
    const destinationId = await demoInbox(ctx, "inbox");
    const body = batch([
      upsert(1),
      { op: "update", key: { id: 2 }, idempotencyKey: "k2" },
      upsert(3, "update"),
      { op: "delete", key: { id: 4 }, data: { ignored: true }, idempotencyKey: "k4" },
    ]);
    const reply = await receiveDemoBatch(s, { destinationId, body });
    expect(reply).toEqual({
      status: 200,
      body: {
        results: [
          { status: "ok" },
          { status: "rejected", reason: 'an update record needs "data"' },
          { status: "ok" },
          { status: "ok" },
        ],
      },
    });

    const inbox = await listDemoInbox(ctx, { destinationId });
    expect(inbox.total).toBe(3);
    expect(inbox.nextCursor).toBeUndefined();
    expect(inbox.items.map((i) => [i.op, i.recordKey, i.data, i.batchId])).toEqual([
      ["delete", { id: 4 }, null, body.batchId],
      ["update", { id: 3 }, upsert(3).data, body.batchId],
      ["insert", { id: 1 }, upsert(1).data, body.batchId],
    ]);
  });

  it("accepts the raw request text as well as parsed JSON", async () => {
    const destinationId = await demoInbox(ctx, "raw-inbox");
    const reply = await receiveDemoBatch(s, { destinationId, body: JSON.stringify(batch([upsert(1)])) });
    expect(reply.status).toBe(200);
    expect((await listDemoInbox(ctx, { destinationId })).total).toBe(1);
  });

  it("answers 400 with the schema issues for a bad body, and stores nothing", async () => {
    const destinationId = await demoInbox(ctx, "bad-body");
    const bad = {
      ...batch([upsert(1)]),
      runId: undefined,
      records: [{ op: "upsert", key: { id: 1 }, idempotencyKey: "k" }, upsert(2)],
    };
    const reply = await receiveDemoBatch(s, { destinationId, body: bad });
    expect(reply.status).toBe(400);
    expect(reply.body).toMatchObject({ error: "Body is not a Sluice webhook batch" });
    const issues = "issues" in reply.body ? (reply.body.issues ?? []) : [];
    expect(issues.some((i) => i.startsWith("runId:"))).toBe(true);
    expect(issues.some((i) => i.startsWith("records.0.op:"))).toBe(true);

    expect((await receiveDemoBatch(s, { destinationId, body: "{not json" })).status).toBe(400);
    expect((await receiveDemoBatch(s, { destinationId, body: null })).status).toBe(400);
    expect((await listDemoInbox(ctx, { destinationId })).total).toBe(0);
  });

  it("answers 404 for unknown destinations and for webhooks that are not a demo inbox", async () => {
    expect((await receiveDemoBatch(s, { destinationId: "nope", body: batch([upsert(1)]) })).status).toBe(404);
    const { id } = await createDestination(ctx, {
      name: "real-hook",
      type: "webhook",
      config: { url: "https://example.com/hook" },
    });
    expect((await receiveDemoBatch(s, { destinationId: id, body: batch([upsert(1)]) })).status).toBe(404);
    // An inbox URL naming another destination's id does not make this one an inbox.
    const other = await demoInbox(ctx, "other-inbox");
    const { id: borrowed } = await createDestination(ctx, {
      name: "borrowed",
      type: "webhook",
      config: { url: demoInboxUrl(PUBLIC_URL, other) },
    });
    expect((await receiveDemoBatch(s, { destinationId: borrowed, body: batch([upsert(1)]) })).status).toBe(404);
  });

  it("requires a valid signature when the destination has a signing secret", async () => {
    const destinationId = await demoInbox(ctx, "signed", SECRET);
    const raw = JSON.stringify(batch([upsert(1), upsert(2)]));

    expect((await receiveDemoBatch(s, { destinationId, body: raw })).status).toBe(401);
    expect(
      (await receiveDemoBatch(s, { destinationId, body: raw, signature: signWebhookBody(raw, "wrong-secret-xxxxxx") })).status,
    ).toBe(401);
    expect((await receiveDemoBatch(s, { destinationId, body: `${raw} `, signature: signWebhookBody(raw, SECRET) })).status).toBe(
      401,
    );
    expect((await listDemoInbox(ctx, { destinationId })).total).toBe(0);

    const ok = await receiveDemoBatch(s, { destinationId, body: raw, signature: signWebhookBody(raw, SECRET) });
    expect(ok).toEqual({ status: 200, body: { results: [{ status: "ok" }, { status: "ok" }] } });
    // A parsed body is checked against its JSON serialisation (what the worker sends).
    const parsed = batch([upsert(3)]);
    const okParsed = await receiveDemoBatch(s, {
      destinationId,
      body: parsed,
      signature: signWebhookBody(JSON.stringify(parsed), SECRET),
    });
    expect(okParsed.status).toBe(200);
    expect((await listDemoInbox(ctx, { destinationId })).total).toBe(3);
  });

  it("keeps only the newest records up to the limit", async () => {
    const destinationId = await demoInbox(ctx, "trimmed");
    const other = await demoInbox(ctx, "untouched");
    await receiveDemoBatch(s, { destinationId: other, body: batch([upsert(100)]) }, { limit: 1 });
    for (const ids of [
      [1, 2, 3],
      [4, 5, 6],
      [7, 8, 9],
    ]) {
      const reply = await receiveDemoBatch(s, { destinationId, body: batch(ids.map((id) => upsert(id))) }, { limit: 5 });
      expect(reply.status).toBe(200);
    }
    const inbox = await listDemoInbox(ctx, { destinationId });
    expect(inbox.total).toBe(5);
    expect(inbox.items.map((i) => (i.recordKey as { id: number }).id)).toEqual([9, 8, 7, 6, 5]);
    // Trimming is per destination.
    expect((await listDemoInbox(ctx, { destinationId: other })).total).toBe(1);
  });
});

describe("listDemoInbox", () => {
  it("pages newest first with a cursor", async () => {
    const destinationId = await demoInbox(ctx, "paged");
    await receiveDemoBatch(s, { destinationId, body: batch([1, 2, 3, 4, 5].map((id) => upsert(id))) });
    const first = await listDemoInbox(ctx, { destinationId, limit: 2 });
    expect(first.total).toBe(5);
    expect(first.items.map((i) => (i.recordKey as { id: number }).id)).toEqual([5, 4]);
    const second = await listDemoInbox(ctx, { destinationId, limit: 2, cursor: first.nextCursor });
    expect(second.items.map((i) => (i.recordKey as { id: number }).id)).toEqual([3, 2]);
    const last = await listDemoInbox(ctx, { destinationId, limit: 2, cursor: second.nextCursor });
    expect(last.items.map((i) => (i.recordKey as { id: number }).id)).toEqual([1]);
    expect(last.nextCursor).toBeUndefined();
    expect(await errorCode(listDemoInbox(ctx, { destinationId, cursor: "abc" }))).toBe("BAD_REQUEST");
  });

  it("is readable by viewers and invisible from other workspaces", async () => {
    const destinationId = await demoInbox(ctx, "isolated");
    await receiveDemoBatch(s, { destinationId, body: batch([upsert(1)]) });
    const viewer = await asRole(ctx, "viewer");
    expect((await listDemoInbox(viewer, { destinationId })).total).toBe(1);
    const stranger = await workspaceWithRole(s, "owner");
    expect(await errorCode(listDemoInbox(stranger, { destinationId }))).toBe("NOT_FOUND");
  });
});
