// The demo inbox's receiving end: validates a webhook batch exactly as a careful real receiver would
// (signature over the raw body, then the wire schema from @sluice/contracts/webhook) and keeps what
// arrived so the UI can show it. Returns an HTTP status and body rather than throwing, because the web
// route answers the worker's webhook client, not a browser, and the worker reads the status per issue 3.
import { WebhookBatchSchema, type WebhookResponse, type WebhookResult } from "@sluice/contracts/webhook";
import { verifyWebhookSignature } from "@sluice/contracts/webhook-signature";
import { openSecrets } from "@sluice/db";
import type { Services } from "../context";
import { DEMO_INBOX_LIMIT, isDemoInboxUrl } from "./demo-inbox";

export type DemoInboxReply =
  | { status: 200; body: WebhookResponse }
  | { status: 400 | 401 | 404; body: { error: string; issues?: string[] } };

export interface ReceiveDemoBatchInput {
  destinationId: string;
  /** The raw request text (needed to check a signature) or, when the destination has no secret, parsed JSON. */
  body: unknown;
  /** The `X-Sluice-Signature` header, if any. */
  signature?: string | null;
}

const MAX_ISSUES_REPORTED = 20;

export async function receiveDemoBatch(
  s: Services,
  input: ReceiveDemoBatchInput,
  options: { limit?: number } = {},
): Promise<DemoInboxReply> {
  const destination = await s.db.destination.findUnique({ where: { id: input.destinationId } });
  // One answer for "no such destination" and "not a demo inbox": the route must not probe other destinations.
  if (destination?.type !== "webhook" || !isDemoInboxUrl(configUrl(destination.config), destination.id)) {
    return { status: 404, body: { error: "No demo inbox with that id" } };
  }

  const raw = typeof input.body === "string" || input.body instanceof Uint8Array ? input.body : undefined;
  const secret = signingSecretOf(s, destination);
  // A parsed body can only be checked against its re-serialisation; senders should post the raw text.
  if (secret && !verifyWebhookSignature(raw ?? JSON.stringify(input.body), input.signature, secret)) {
    return { status: 401, body: { error: "Missing or invalid X-Sluice-Signature" } };
  }

  let json: unknown = input.body;
  if (raw !== undefined) {
    try {
      json = JSON.parse(typeof raw === "string" ? raw : Buffer.from(raw).toString("utf8"));
    } catch {
      return { status: 400, body: { error: "Body is not valid JSON" } };
    }
  }
  const parsed = WebhookBatchSchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join(".") || "(body)"}: ${i.message}`);
    return { status: 400, body: { error: "Body is not a Sluice webhook batch", issues: issues.slice(0, MAX_ISSUES_REPORTED) } };
  }

  const batch = parsed.data;
  const results: WebhookResult[] = batch.records.map((r) =>
    r.op !== "delete" && r.data === undefined
      ? { status: "rejected", reason: `an ${r.op} record needs "data"` }
      : { status: "ok" },
  );
  const accepted = batch.records.filter((_, i) => results[i]?.status === "ok");
  const limit = options.limit ?? DEMO_INBOX_LIMIT;

  await s.db.$transaction(async (tx) => {
    if (accepted.length > 0) {
      await tx.demoInboxRecord.createMany({
        data: accepted.map((r) => ({
          destinationId: destination.id,
          batchId: batch.batchId,
          op: r.op,
          recordKey: r.key,
          // A delete's data is ignored by contract; storing it would show fields that were never applied.
          data: r.op === "delete" ? undefined : r.data,
        })),
      });
    }
    // Keep the newest `limit` rows: find the (limit+1)-th newest id and drop it and everything older.
    await tx.$executeRaw`
      delete from demo_inbox_record
      where "destinationId" = ${destination.id}
        and id <= (select id from demo_inbox_record where "destinationId" = ${destination.id} order by id desc offset ${limit} limit 1)`;
  });

  s.log.debug({ destinationId: destination.id, batchId: batch.batchId, records: batch.records.length }, "demo inbox batch");
  return { status: 200, body: { results } };
}

function configUrl(config: unknown): unknown {
  return config && typeof config === "object" ? (config as Record<string, unknown>).url : undefined;
}

function signingSecretOf(
  s: Services,
  d: { encryptedSecrets: string | null; encryptionKeyId: string | null },
): string | undefined {
  if (!d.encryptedSecrets || !d.encryptionKeyId) return undefined;
  const secrets = openSecrets<Record<string, unknown>>(
    { encryptedSecrets: d.encryptedSecrets, encryptionKeyId: d.encryptionKeyId },
    s.keyring,
  );
  const secret = secrets?.signingSecret;
  return typeof secret === "string" && secret !== "" ? secret : undefined;
}
