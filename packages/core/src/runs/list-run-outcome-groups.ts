// What went wrong in a run, record by record but readable: rejected and failed records grouped by reason
// (largest group first), each with a few examples — the record's key, the payload sent and the destination's
// answer — and paging within a group. Also "retry failed": the engine retries failed records on every next
// run (DESIGN.md "Commit"), so retrying is starting a run now and saying how many it will retry.
import type { RunStatus, RunView } from "@sluice/contracts/run-view";
import { Prisma } from "@sluice/db";
import { z } from "zod";
import { authorize, type WorkspaceContext } from "../context";
import { AppError } from "../errors";
import { parseInput } from "../validate-input";
import { runNotFound } from "./run-view";
import { FINISHED } from "./transitions";
import { triggerRun } from "./trigger-run";

export const OUTCOME_EXAMPLES_PER_GROUP = 20;

export const RecordOutcomeStatusSchema = z.enum(["rejected", "failed"]);
export type RecordOutcomeStatus = z.infer<typeof RecordOutcomeStatusSchema>;

export const RunOutcomeGroupsInput = z
  .object({
    runId: z.string().min(1),
    status: RecordOutcomeStatusSchema.optional(),
    /** One group (with `status`): for paging through its examples. */
    reason: z.string().optional(),
    /** The `nextCursor` of the group's previous page. */
    cursor: z.string().regex(/^\d+$/, "expected a group's nextCursor").optional(),
    groupLimit: z.number().int().min(1).max(200).default(50),
  })
  .refine((o) => o.reason === undefined || o.status !== undefined, { path: ["status"], message: "name the group's status" })
  .refine((o) => o.cursor === undefined || o.reason !== undefined, {
    path: ["reason"],
    message: "a cursor pages within one group",
  });
export type RunOutcomeGroupsInput = z.input<typeof RunOutcomeGroupsInput>;

export interface OutcomeExample {
  /** Stable id of the outcome row (also the paging cursor). */
  id: string;
  /** Primary key values of the record, by column. */
  key: unknown;
  /** What was sent (null for rows rejected before sending, e.g. a duplicated key). */
  payload: unknown;
  /** What the destination answered for it. */
  response: unknown;
  attempts: number;
  at: string;
}

export interface OutcomeGroup {
  status: RecordOutcomeStatus;
  reason: string;
  count: number;
  examples: OutcomeExample[];
  /** Pass with `status` and `reason` to get the group's next examples; null on its last page. */
  nextCursor: string | null;
}

export interface RunOutcomeGroups {
  runId: string;
  /** Records per status in the whole run, whatever the filter. */
  totals: { rejected: number; failed: number };
  /** Distinct (status, reason) groups matching the filter; `groups` holds the largest `groupLimit`. */
  groupCount: number;
  groups: OutcomeGroup[];
}

const EXAMPLE_SELECT = { id: true, recordKey: true, payload: true, response: true, attempts: true, createdAt: true } as const;

export async function listRunOutcomeGroups(ctx: WorkspaceContext, input: RunOutcomeGroupsInput): Promise<RunOutcomeGroups> {
  authorize(ctx, "sync.read");
  const { runId, status, reason, cursor, groupLimit } = parseInput(RunOutcomeGroupsInput, input);
  const run = await ctx.db.syncRun.findFirst({ where: { id: runId, workspaceId: ctx.workspaceId }, select: { id: true } });
  if (!run) throw runNotFound();
  const scope = { runId, workspaceId: ctx.workspaceId };
  const totals = { rejected: 0, failed: 0 };
  for (const t of await ctx.db.recordOutcome.groupBy({ by: ["status"], where: scope, _count: { _all: true } })) {
    totals[t.status] = t._count._all;
  }
  const where = { ...scope, ...(status ? { status } : {}), ...(reason !== undefined ? { reason } : {}) };
  const counted = await ctx.db.recordOutcome.groupBy({
    by: ["status", "reason"],
    where,
    _count: { _all: true },
    orderBy: [{ _count: { id: "desc" } }, { status: "asc" }, { reason: "asc" }],
    take: groupLimit,
  });
  const groupCount = reason !== undefined ? counted.length : await countGroups(ctx, runId, status);
  if (reason !== undefined && status !== undefined) {
    // One group, one page of its examples after the cursor.
    const rows = await ctx.db.recordOutcome.findMany({
      where: { ...scope, status, reason, ...(cursor ? { id: { gt: BigInt(cursor) } } : {}) },
      orderBy: { id: "asc" },
      take: OUTCOME_EXAMPLES_PER_GROUP + 1,
      select: EXAMPLE_SELECT,
    });
    const count = counted[0]?._count._all ?? 0;
    const groups = count === 0 ? [] : [toGroup(status, reason, count, rows)];
    return { runId, totals, groupCount, groups };
  }
  const examples = await firstExamples(
    ctx,
    runId,
    counted.map((g) => ({ status: g.status, reason: g.reason })),
  );
  const groups = counted.map((g) => toGroup(g.status, g.reason, g._count._all, examples.get(groupKey(g.status, g.reason)) ?? []));
  return { runId, totals, groupCount, groups };
}

type ExampleRow = { id: bigint; recordKey: unknown; payload: unknown; response: unknown; attempts: number; createdAt: Date };

function toGroup(status: RecordOutcomeStatus, reason: string, count: number, rows: ExampleRow[]): OutcomeGroup {
  const page = rows.slice(0, OUTCOME_EXAMPLES_PER_GROUP);
  const more = rows.length > OUTCOME_EXAMPLES_PER_GROUP;
  return {
    status,
    reason,
    count,
    examples: page.map((r) => ({
      id: r.id.toString(),
      key: r.recordKey,
      payload: r.payload ?? null,
      response: r.response ?? null,
      attempts: r.attempts,
      at: r.createdAt.toISOString(),
    })),
    nextCursor: more ? (page.at(-1)?.id.toString() ?? null) : null,
  };
}

const groupKey = (status: string, reason: string) => JSON.stringify([status, reason]);

/** The first examples (plus one, to know whether more follow) of each group, in one query. */
async function firstExamples(
  ctx: WorkspaceContext,
  runId: string,
  groups: { status: RecordOutcomeStatus; reason: string }[],
): Promise<Map<string, ExampleRow[]>> {
  const out = new Map<string, ExampleRow[]>();
  if (groups.length === 0) return out;
  const rows = await ctx.db.$queryRaw<(ExampleRow & { status: RecordOutcomeStatus; reason: string })[]>`
    select id, status::text as status, reason, "recordKey", payload, response, attempts, "createdAt"
    from (
      select o.*, row_number() over (partition by o.status, o.reason order by o.id) as n
      from record_outcome o
      where o."runId" = ${runId} and o."workspaceId" = ${ctx.workspaceId}
        and (o.status::text, o.reason) in (
          select * from unnest(${groups.map((g) => g.status)}::text[], ${groups.map((g) => g.reason)}::text[]))
    ) x
    where n <= ${OUTCOME_EXAMPLES_PER_GROUP + 1}
    order by id`;
  for (const r of rows) {
    const key = groupKey(r.status, r.reason);
    out.set(key, [...(out.get(key) ?? []), r]);
  }
  return out;
}

async function countGroups(ctx: WorkspaceContext, runId: string, status: RecordOutcomeStatus | undefined): Promise<number> {
  const filter = status ? Prisma.sql`and status::text = ${status}` : Prisma.empty;
  const [row] = await ctx.db.$queryRaw<{ n: bigint }[]>`
    select count(*) as n from (
      select 1 from record_outcome where "runId" = ${runId} and "workspaceId" = ${ctx.workspaceId} ${filter} group by status, reason
    ) g`;
  return Number(row?.n ?? 0);
}

export const RetryFailedInput = z.object({ syncId: z.string().min(1) });
export type RetryFailedInput = z.input<typeof RetryFailedInput>;

export interface RetryFailedResult {
  run: RunView;
  /** False when a run was already under way: that run comes back, and it retries them. */
  created: boolean;
  /** The last finished run, and the failed records it left (the ones this run retries). */
  lastRun: { id: string; status: RunStatus; failedRecords: number } | null;
  failedRecords: number;
  message: string;
}

/** Starts a run now (trigger "retry"); failed records of the last run are retried by it, as by any next run. */
export async function retryFailedRecords(ctx: WorkspaceContext, input: RetryFailedInput): Promise<RetryFailedResult> {
  authorize(ctx, "sync.run");
  const { syncId } = parseInput(RetryFailedInput, input);
  const sync = await ctx.db.sync.findFirst({ where: { id: syncId, workspaceId: ctx.workspaceId }, select: { id: true } });
  if (!sync) throw new AppError("NOT_FOUND", "No such sync in this workspace.");
  const last = await ctx.db.syncRun.findFirst({
    where: { syncId, workspaceId: ctx.workspaceId, status: { in: [...FINISHED] } },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    select: { id: true, status: true, error: true },
  });
  const failedRecords = last
    ? await ctx.db.recordOutcome.count({ where: { runId: last.id, workspaceId: ctx.workspaceId, status: "failed" } })
    : 0;
  const { run, created } = await triggerRun(ctx, { syncId, trigger: "retry" });
  const records = `${failedRecords.toLocaleString("en-US")} failed record${failedRecords === 1 ? "" : "s"}`;
  let message: string;
  if (!created) message = `A run is already under way (${run.status}); it retries the ${records} the last run left.`;
  else if (!last)
    message = "Started a run. This sync has not finished a run yet, so there is nothing to retry; it sends every row.";
  else if (last.status === "failed" && failedRecords === 0) {
    message = `Started a run. The last run failed before finishing${last.error ? ` (${last.error})` : ""}; this run sends what it did not deliver.`;
  } else if (failedRecords === 0)
    message = "Started a run. The last run left no failed records, so this run only sends what changed since.";
  else message = `Started a run. It retries the ${records} the last run left, with anything that changed since.`;
  return { run, created, lastRun: last ? { id: last.id, status: last.status, failedRecords } : null, failedRecords, message };
}
