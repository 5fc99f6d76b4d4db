// "Test one row": reads one row of a model from the warehouse, maps it with the sync's mappings and sends it
// to the destination as a one-record batch (op insert, the sync's mode) through the destination's own
// driver — the same code path a run takes — and returns the row, the record, the destination's answer and
// the HTTP exchange(s) with secrets masked. It creates no run and touches no sync state: no outcomes, no
// checkpoint, no snapshot. The record carries a one-off idempotency key, so a destination that deduplicates
// by key neither drops the test nor later drops the real record of the same row.
import { randomUUID } from "node:crypto";
import { type BatchOutcome, FatalDestinationError } from "@sluice/connectors/kit/delivery";
import type { RetryPolicy } from "@sluice/connectors/kit/retry";
import { isWarehouseError, type WarehouseSession } from "@sluice/connectors/kit/warehouse";
import { compileMapping, type MappingSpec, MappingSpecSchema } from "@sluice/contracts/mapping";
import type { SyncMode } from "@sluice/contracts/sync-config";
import {
  type TestSendExchange,
  TestSendInput,
  type TestSendParsed,
  type TestSendResult,
  type TestSendStatus,
} from "@sluice/contracts/test-send";
import { authorize, type WorkspaceContext } from "../context";
import { AppError } from "../errors";
import { modelNotFound } from "../models/model-view";
import { openDestination, openWarehouse } from "../runs/run-connections";
import { errorMessage, RunFailure } from "../runs/run-errors";
import { syncNotFound } from "../syncs/sync-view";
import { parseInput } from "../validate-input";
import { destinationNotFound } from "./destination-view";
import { SharedRateBudget } from "./shared-rate-budget";

/** Someone is waiting for the answer: one retry, and a rate limit waited out for half a minute at most. */
const TEST_SEND_RETRY: RetryPolicy = { attempts: 2, baseMs: 500, capMs: 2_000 };
const TEST_SEND_RATE_LIMIT_PATIENCE_MS = 30_000;

interface Target {
  syncId: string | null;
  model: { id: string; name: string; sourceId: string; query: string; primaryKey: string[] };
  destinationId: string;
  object: string | null;
  mode: SyncMode;
  mappings: MappingSpec;
}

export async function testSendRow(ctx: WorkspaceContext, input: TestSendInput): Promise<TestSendResult> {
  // Sending a record to the destination is what a run does.
  authorize(ctx, "sync.run");
  const parsed = parseInput(TestSendInput, input);
  const target = await resolveTarget(ctx, parsed);
  const key = parsed.key === undefined ? undefined : checkKey(target.model, parsed.key);
  const row = await readRow(ctx, target.model, key);

  const keyOfRow = Object.fromEntries(target.model.primaryKey.map((c) => [c, row[c] ?? null]));
  const mapped = compileMapping(target.mappings)(row);
  if (!mapped.ok) {
    return { row, record: null, result: { status: "mapping_failed", reason: mapped.reason }, exchanges: [] };
  }
  const record = { op: "insert" as const, key: keyOfRow, data: mapped.data, idempotencyKey: `test-${randomUUID()}` };
  const destination = await open(() => openDestination(ctx, target.destinationId));
  const testId = `test-${randomUUID()}`;
  let outcome: BatchOutcome;
  try {
    outcome = await destination.driver.deliver(
      destination.config,
      {
        syncId: target.syncId ?? "test",
        runId: testId,
        batchId: `${testId}-1`,
        object: target.object,
        mode: target.mode,
        records: [record],
      },
      {
        allowPrivate: ctx.allowPrivateDestinations ?? false,
        retry: TEST_SEND_RETRY,
        rateLimitPatienceMs: TEST_SEND_RATE_LIMIT_PATIENCE_MS,
        // The account's budget is shared with the runs writing to it right now.
        budget: new SharedRateBudget(ctx.db),
      },
    );
  } catch (error) {
    if (!(error instanceof FatalDestinationError)) throw error;
    logSent(ctx, target, "fatal", error.message);
    return { row, record, result: { status: "fatal", reason: error.message }, exchanges: [] };
  }
  const result: TestSendStatus = outcome.results[0] ?? { status: "failed", reason: "the destination gave no result" };
  logSent(ctx, target, result.status, "reason" in result ? result.reason : undefined);
  return { row, record, result, exchanges: exchangesOf(outcome) };
}

/** The sync's settings, or the draft's once its model and destination are found in this workspace. */
async function resolveTarget(ctx: WorkspaceContext, input: TestSendParsed): Promise<Target> {
  const modelSelect = { id: true, name: true, sourceId: true, query: true, primaryKey: true } as const;
  if ("syncId" in input) {
    const sync = await ctx.db.sync.findFirst({
      where: { id: input.syncId, workspaceId: ctx.workspaceId },
      include: { model: { select: modelSelect } },
    });
    if (!sync) throw syncNotFound();
    const mappings = MappingSpecSchema.safeParse(sync.mappings);
    if (!mappings.success) {
      throw new AppError("PRECONDITION_FAILED", "The sync's mappings are invalid: edit and save the sync, then try again.");
    }
    return {
      syncId: sync.id,
      model: sync.model,
      destinationId: sync.destinationId,
      object: sync.object,
      mode: sync.mode,
      mappings: mappings.data,
    };
  }
  const where = { workspaceId: ctx.workspaceId };
  const model = await ctx.db.model.findFirst({ where: { ...where, id: input.modelId }, select: modelSelect });
  if (!model) throw modelNotFound();
  const destination = await ctx.db.destination.findFirst({ where: { ...where, id: input.destinationId }, select: { id: true } });
  if (!destination) throw destinationNotFound();
  return {
    syncId: null,
    model,
    destinationId: destination.id,
    object: input.object ?? null,
    mode: input.mode,
    mappings: input.mappings,
  };
}

/** The key must name exactly the model's primary key columns. */
function checkKey(model: Target["model"], key: Record<string, unknown>): Record<string, unknown> {
  const expected = new Set(model.primaryKey);
  const given = Object.keys(key);
  const unknown = given.filter((c) => !expected.has(c));
  const missing = model.primaryKey.filter((c) => !Object.hasOwn(key, c));
  if (unknown.length === 0 && missing.length === 0) return key;
  const list = (cols: string[]) => cols.map((c) => `"${c}"`).join(", ");
  const problems = [
    ...(missing.length > 0 ? [`give a value for ${list(missing)}`] : []),
    ...(unknown.length > 0 ? [`${list(unknown)} ${unknown.length === 1 ? "is" : "are"} not in the primary key`] : []),
  ];
  throw new AppError("BAD_REQUEST", `The row's key must name the model's primary key (${list(model.primaryKey)}).`, {
    key: problems,
  });
}

/** The row with `key`, or the model's first row; read only, and the warehouse connection is closed after. */
async function readRow(
  ctx: WorkspaceContext,
  model: Target["model"],
  key: Record<string, unknown> | undefined,
): Promise<Record<string, unknown>> {
  const warehouse = await open(() => openWarehouse(ctx, model.sourceId));
  let row: Record<string, unknown> | null | undefined;
  try {
    row = key ? await rowByKey(warehouse.session, model.query, key) : (await warehouse.session.preview(model.query, 1)).rows[0];
  } catch (error) {
    if (error instanceof AppError) throw error;
    if (key && isWarehouseError(error) && error.kind === "model-columns") {
      throw new AppError("BAD_REQUEST", `The row's key does not fit model "${model.name}".`, { key: [error.message] });
    }
    throw new AppError(
      "PRECONDITION_FAILED",
      `Reading model "${model.name}" failed in warehouse "${warehouse.name}": ${errorMessage(error)}`,
    );
  } finally {
    await warehouse.session.close();
  }
  if (row) return row;
  if (!key) throw new AppError("PRECONDITION_FAILED", `Model "${model.name}" returned no rows: there is nothing to send.`);
  const described = Object.entries(key)
    .map(([c, v]) => `${c} = ${JSON.stringify(v)}`)
    .join(", ");
  throw new AppError("NOT_FOUND", `Model "${model.name}" has no row with ${described}.`);
}

async function rowByKey(session: WarehouseSession, query: string, key: Record<string, unknown>) {
  if (!session.readRowByKey) {
    throw new AppError(
      "BAD_REQUEST",
      "This warehouse cannot look a row up by key yet: leave the key out to send the model's first row.",
    );
  }
  return session.readRowByKey(query, key);
}

/** The run-connection helpers fail with RunFailure (unreachable warehouse, invalid settings): the caller's to fix. */
async function open<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof RunFailure) throw new AppError("PRECONDITION_FAILED", capitalize(error.message));
    throw error;
  }
}

/** Drivers on the HTTP kit record every exchange; others (the webhook) report their last request and response. */
function exchangesOf(outcome: BatchOutcome): TestSendExchange[] {
  if (outcome.exchanges && outcome.exchanges.length > 0) return outcome.exchanges;
  if (!outcome.request.url) return [];
  return [
    { request: outcome.request, ...(outcome.response ? { response: outcome.response } : {}), latencyMs: outcome.latencyMs },
  ];
}

function logSent(ctx: WorkspaceContext, target: Target, status: string, reason: string | undefined): void {
  ctx.log.info(
    { workspaceId: ctx.workspaceId, syncId: target.syncId, destinationId: target.destinationId, status, reason },
    "test row sent",
  );
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
