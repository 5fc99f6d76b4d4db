import { describe, expect, it } from "vitest";
import { WEBHOOK_SIGNATURE_HEADER, WebhookBatchSchema, WebhookResponseSchema } from "./webhook";
import { signWebhookBody, verifyWebhookSignature } from "./webhook-signature";

const batch = {
  syncId: "sync_1",
  runId: "run_1",
  batchId: "batch_1",
  records: [
    { op: "insert", key: { id: 1 }, data: { email: "a@example.com", traits: { plan: "growth" } }, idempotencyKey: "k1" },
    { op: "update", key: { tenant: "t", id: "2" }, data: { email: null }, idempotencyKey: "k2" },
    { op: "delete", key: { id: 3 }, idempotencyKey: "k3" },
  ],
};

describe("WebhookBatchSchema", () => {
  it("accepts the issue 3 shape, including composite keys and deletes without data", () => {
    expect(WebhookBatchSchema.parse(batch)).toEqual(batch);
  });

  it("refuses unknown ops, empty keys, missing idempotency keys and non-JSON values", () => {
    const bad = (record: unknown) => WebhookBatchSchema.safeParse({ ...batch, records: [record] }).success;
    expect(bad({ op: "upsert", key: { id: 1 }, data: {}, idempotencyKey: "k" })).toBe(false);
    expect(bad({ op: "insert", key: {}, data: {}, idempotencyKey: "k" })).toBe(false);
    expect(bad({ op: "insert", key: { id: 1 }, data: {} })).toBe(false);
    expect(bad({ op: "insert", key: { id: 1 }, data: { at: new Date() }, idempotencyKey: "k" })).toBe(false);
    expect(WebhookBatchSchema.safeParse({ ...batch, batchId: undefined }).success).toBe(false);
  });
});

describe("WebhookResponseSchema", () => {
  it("accepts per-record results with optional reasons", () => {
    const response = { results: [{ status: "ok" }, { status: "rejected", reason: "bad email" }, { status: "retry" }] };
    expect(WebhookResponseSchema.parse(response)).toEqual(response);
    expect(WebhookResponseSchema.safeParse({ results: [{ status: "failed" }] }).success).toBe(false);
  });
});

describe("webhook signatures", () => {
  const body = JSON.stringify(batch);

  it("signs as sha256=<hex HMAC-SHA256 of the raw body>", () => {
    expect(WEBHOOK_SIGNATURE_HEADER).toBe("X-Sluice-Signature");
    // Reference value from: printf '%s' '{"a":1}' | openssl dgst -sha256 -hmac secret
    expect(signWebhookBody('{"a":1}', "secret")).toBe("sha256=aa9e2e3575f5d7098b6caccd790888c36d5fdb63342a73bada2d6a51747a8494");
  });

  it("verifies its own signatures, string or bytes", () => {
    const signature = signWebhookBody(body, "s3cret");
    expect(verifyWebhookSignature(body, signature, "s3cret")).toBe(true);
    expect(verifyWebhookSignature(Buffer.from(body), signature.toUpperCase().replace("SHA256=", "sha256="), "s3cret")).toBe(true);
  });

  it("rejects a wrong secret, an altered body, and missing or malformed headers", () => {
    const signature = signWebhookBody(body, "s3cret");
    expect(verifyWebhookSignature(body, signature, "other")).toBe(false);
    expect(verifyWebhookSignature(`${body} `, signature, "s3cret")).toBe(false);
    expect(verifyWebhookSignature(body, undefined, "s3cret")).toBe(false);
    expect(verifyWebhookSignature(body, "", "s3cret")).toBe(false);
    expect(verifyWebhookSignature(body, signature.slice(7), "s3cret")).toBe(false);
    expect(verifyWebhookSignature(body, "sha256=abcd", "s3cret")).toBe(false);
    expect(verifyWebhookSignature(body, `sha256=${"z".repeat(64)}`, "s3cret")).toBe(false);
  });
});
