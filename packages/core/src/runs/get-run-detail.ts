// One run for the history screen's detail panel: the run with its counters and error, how long it took, and
// its timeline as steps — each state it entered (from SyncRunTransition), when, why, and how long it stayed —
// plus the time spent in each state summed over the run (a run paused and resumed delivers twice).
import type { RunStatus, RunView } from "@sluice/contracts/run-view";
import { z } from "zod";
import { authorize, type WorkspaceContext } from "../context";
import { parseInput } from "../validate-input";
import { loadRunRow } from "./get-run";
import { toRunView } from "./run-view";
import { FINISHED } from "./transitions";

export const RunDetailInput = z.object({ runId: z.string().min(1) });
export type RunDetailInput = z.input<typeof RunDetailInput>;

export interface RunStep {
  /** The state entered. */
  status: RunStatus;
  from: RunStatus | null;
  enteredAt: string;
  /** When the next state began; null while the run is still in this one, or for the final state. */
  leftAt: string | null;
  /** Time spent in the state (until now while it is current); null for the final state. */
  durationMs: number | null;
  current: boolean;
  detail: string | null;
}

export interface RunDetail extends RunView {
  /** Start of planning → finish (→ now while running); null when the run never started. */
  durationMs: number | null;
  /** Queued → start of planning (→ now while queued). */
  waitedMs: number;
  steps: RunStep[];
  /** Milliseconds spent in each state, summed, in the order states were first entered. */
  timeInState: { status: RunStatus; durationMs: number }[];
  /** Record outcomes stored for this run (rejected and failed records with their reasons). */
  outcomes: { rejected: number; failed: number };
}

export async function getRunDetail(ctx: WorkspaceContext, input: RunDetailInput, now = new Date()): Promise<RunDetail> {
  authorize(ctx, "sync.read");
  const { runId } = parseInput(RunDetailInput, input);
  const view = toRunView(await loadRunRow(ctx, runId));
  const counts = await ctx.db.recordOutcome.groupBy({
    by: ["status"],
    where: { runId, workspaceId: ctx.workspaceId },
    _count: { _all: true },
  });
  const outcomes = { rejected: 0, failed: 0 };
  for (const c of counts) outcomes[c.status] = c._count._all;
  const steps = runSteps(view, now);
  return {
    ...view,
    durationMs: runDurationMs(view, now),
    waitedMs: Math.max(0, (view.startedAt ? Date.parse(view.startedAt) : finishedOrNow(view, now)) - Date.parse(view.createdAt)),
    steps,
    timeInState: sumByState(steps),
    outcomes,
  };
}

/** Start → finish, or start → now while the run is under way; null when it never started. */
export function runDurationMs(run: Pick<RunView, "startedAt" | "finishedAt">, now = new Date()): number | null {
  if (!run.startedAt) return null;
  return Math.max(0, finishedOrNow(run, now) - Date.parse(run.startedAt));
}

function finishedOrNow(run: Pick<RunView, "finishedAt">, now: Date): number {
  return run.finishedAt ? Date.parse(run.finishedAt) : now.getTime();
}

export function runSteps(view: Pick<RunView, "timeline" | "status">, now = new Date()): RunStep[] {
  const finished = FINISHED.includes(view.status);
  return view.timeline.map((t, i) => {
    const next = view.timeline[i + 1];
    const last = next === undefined;
    const final = last && FINISHED.includes(t.to);
    const leftAt = next ? next.at : null;
    const end = next ? Date.parse(next.at) : final ? null : now.getTime();
    return {
      status: t.to,
      from: t.from,
      enteredAt: t.at,
      leftAt,
      durationMs: end === null ? null : Math.max(0, end - Date.parse(t.at)),
      current: last && !finished,
      detail: t.detail,
    };
  });
}

function sumByState(steps: RunStep[]): { status: RunStatus; durationMs: number }[] {
  const totals = new Map<RunStatus, number>();
  for (const s of steps) {
    if (s.durationMs === null) continue;
    totals.set(s.status, (totals.get(s.status) ?? 0) + s.durationMs);
  }
  return [...totals].map(([status, durationMs]) => ({ status, durationMs }));
}
