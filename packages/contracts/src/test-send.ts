// "Test one row": send one row of a model to a destination the way a sync would, and see the record, the
// destination's answer and the HTTP exchange — for a saved sync, or for a sync still being edited. Nothing
// about the sync changes: no run, no outcomes, no snapshot.
import { z } from "zod";
import { MappingSpecSchema } from "./mapping";
import { SyncModeSchema } from "./sync-config";

const Id = z.string().min(1);

/** Primary key column → value of the row to send, as a preview shows it (e.g. { id: 42 }). */
export const RowKeySchema = z
  .record(
    z.string().min(1, "expected a primary key column"),
    z.union([z.string(), z.number(), z.boolean()], { error: "expected the column's value (text, number or boolean)" }),
    { error: "expected the row's primary key values, e.g. { id: 42 }" },
  )
  .refine((key) => Object.keys(key).length > 0, "give a value for each primary key column")
  .describe("The row to send, by primary key; the model's first row when left out");

export const TestSendSavedSyncInput = z.strictObject({ syncId: Id, key: RowKeySchema.optional() });

export const TestSendDraftSyncInput = z.strictObject({
  modelId: Id,
  destinationId: Id,
  object: z.string().trim().min(1).max(120).nullable().optional(),
  mode: SyncModeSchema,
  mappings: MappingSpecSchema,
  key: RowKeySchema.optional(),
});

export type TestSendInput = z.input<typeof TestSendSavedSyncInput> | z.input<typeof TestSendDraftSyncInput>;
export type TestSendParsed = z.output<typeof TestSendSavedSyncInput> | z.output<typeof TestSendDraftSyncInput>;

/** A saved sync by `syncId`, or the settings of one being edited; field errors name the field at fault. */
export const TestSendInput = z.unknown().transform((value, ctx): TestSendParsed => {
  const saved = typeof value === "object" && value !== null && "syncId" in value;
  const result = (saved ? TestSendSavedSyncInput : TestSendDraftSyncInput).safeParse(value);
  if (result.success) return result.data;
  for (const issue of result.error.issues) ctx.addIssue({ code: "custom", message: issue.message, path: issue.path });
  return z.NEVER;
});

/** One request and its response as recorded by the destination's driver, secrets masked. */
export const TestSendExchangeSchema = z.object({
  request: z.object({ method: z.string(), url: z.string(), headers: z.record(z.string(), z.string()), body: z.string() }),
  response: z.object({ status: z.number().int(), body: z.string() }).optional(),
  latencyMs: z.number(),
});
export type TestSendExchange = z.infer<typeof TestSendExchangeSchema>;

/**
 * What became of the row. `ok`, `rejected` and `failed` are the destination's answer, as a run would record
 * it; `mapping_failed`: the row could not be mapped, nothing was sent; `fatal`: the destination cannot be
 * used as configured (credentials refused, unknown object…), nothing more was tried.
 */
export const TestSendStatusSchema = z.discriminatedUnion("status", [
  z.object({ status: z.literal("ok") }),
  z.object({ status: z.literal("rejected"), reason: z.string() }),
  z.object({ status: z.literal("failed"), reason: z.string() }),
  z.object({ status: z.literal("mapping_failed"), reason: z.string() }),
  z.object({ status: z.literal("fatal"), reason: z.string() }),
]);
export type TestSendStatus = z.infer<typeof TestSendStatusSchema>;

export const TestSendResultSchema = z.object({
  /** The model's row as the warehouse returned it. */
  row: z.record(z.string(), z.unknown()),
  /** The record sent (op insert, a one-off idempotency key); null when mapping failed. */
  record: z
    .object({
      op: z.literal("insert"),
      key: z.record(z.string(), z.unknown()),
      data: z.record(z.string(), z.unknown()),
      idempotencyKey: z.string(),
    })
    .nullable(),
  result: TestSendStatusSchema,
  /** Requests and responses of the attempt, oldest first; empty when nothing was sent. */
  exchanges: z.array(TestSendExchangeSchema),
});
export type TestSendResult = z.infer<typeof TestSendResultSchema>;
