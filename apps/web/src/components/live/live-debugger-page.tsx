"use client";
// The live debugger of one sync. While a run is under way: its status, progress by outcome, records/s, a
// throttling warning, the controls, and the records streaming past. Otherwise: the last run's summary and Run
// now. Everything comes from the worker's snapshot first, so a reload shows the counts at once; if the live
// connection is down, the latest run is read from the database instead (and the page says why).
import type { LiveRunState } from "@sluice/contracts/live";
import type { RunStatus } from "@sluice/contracts/run-view";
import { useQuery } from "@tanstack/react-query";
import { ArrowRight, Gauge, Play, Radio, Timer } from "lucide-react";
import Link from "next/link";
import { useEffect, useMemo, useRef, useState } from "react";
import { formatDateTimeSeconds } from "@/components/history/run-format";
import { useNow } from "@/components/history/use-now";
import { useWorkspace } from "@/components/shell/workspace-context";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { FormAlert } from "@/components/ui/field";
import { LoadingBlock } from "@/components/ui/spinner";
import { formatDuration, RunStatusBadge } from "@/components/workspace/sync-runs";
import { cn } from "@/lib/cn";
import { timeAgo } from "@/lib/format";
import { useLiveRun } from "@/lib/live/use-live-run";
import { useTRPC } from "@/trpc/react";
import { ConnectionBadge, ConnectionProblem } from "./connection-status";
import { EventStream } from "./event-stream";
import { type ControlRequest, type LiveControls, RunControls, useLiveControls } from "./run-controls";
import { formatEta, isSteerable, LIVE_ACTIVE, PHASE_TEXT, runProgress } from "./run-progress";
import { addThrottleSample, type ThrottleSample, throttleState } from "./throttle";

/** A pause asked for in these states is still on its way (the worker stops at the next checkpoint). */
const STOPPABLE: readonly RunStatus[] = ["queued", "planning", "snapshotting", "diffing", "delivering"];

const COUNTS = [
  ["planned", "Planned"],
  ["added", "Added"],
  ["changed", "Changed"],
  ["removed", "Removed"],
  ["delivered", "Delivered"],
  ["rejected", "Rejected"],
  ["failed", "Failed"],
] as const;

export function LiveDebuggerPage({ syncId }: { syncId: string }) {
  const trpc = useTRPC();
  const ws = useWorkspace();
  const live = useLiveRun(ws.slug, syncId);
  const down = live.connection === "error" || live.connection === "reconnecting";
  // Without the live connection, the latest run still comes from the database (polled).
  const fallback = useQuery({
    ...trpc.run.list.queryOptions({ workspace: ws.slug, syncId, limit: 1 }),
    enabled: down,
    refetchInterval: down ? 3_000 : false,
  });
  const fallbackRun = useMemo<LiveRunState | null>(() => {
    const item = fallback.data?.items[0];
    if (!item) return null;
    return {
      syncId,
      runId: item.id,
      status: item.status,
      counts: item.counts,
      startedAt: item.startedAt,
      finishedAt: item.finishedAt,
      error: item.error,
      recordsPerSecond: null,
      throttledMs: null,
      droppedEvents: 0,
      at: new Date().toISOString(),
    };
  }, [fallback.data, syncId]);
  const run = live.run ?? (down ? fallbackRun : null);
  const controls = useLiveControls(live.refresh);
  const [request, setRequest] = useState<ControlRequest>(null);

  // A pause or cancel asked for is done once the run reaches it (or another run is shown).
  useEffect(() => {
    if (!request || !run) return;
    const reached =
      run.runId !== request.runId ||
      (request.kind === "pause" ? !STOPPABLE.includes(run.status) : !LIVE_ACTIVE.includes(run.status));
    if (reached) setRequest(null);
  }, [request, run]);

  // Before the first snapshot (or, with the connection down, before the database answered) nothing is known yet.
  const waiting = !run && (live.connection === "idle" || live.connection === "connecting" || (down && fallback.isPending));
  const steerable = run ? isSteerable(run.status) : false;

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <p className="max-w-2xl text-sm text-zinc-500">
          Watch this sync's run as it happens: progress by outcome, the destination's pace, and a sample of the records sent.
        </p>
        <ConnectionBadge connection={live.connection} />
      </div>
      <ConnectionProblem connection={live.connection} error={live.error} onReconnect={live.reconnect} />
      {down && run === fallbackRun && run ? (
        <p className="text-xs text-zinc-500">Showing the latest run from the database, refreshed every few seconds.</p>
      ) : null}

      {waiting ? (
        <Card>
          <LoadingBlock label="Connecting to the live view…" />
        </Card>
      ) : !run ? (
        <NeverRan syncId={syncId} controls={controls} />
      ) : steerable ? (
        <ActiveRun run={run} controls={controls} request={request} onRequested={setRequest} syncId={syncId} />
      ) : (
        <LastRun run={run} syncId={syncId} controls={controls} />
      )}

      {run ? (
        <Card>
          <EventStream
            events={live.events}
            frozen={live.frozen}
            heldEvents={live.heldEvents}
            droppedEvents={run.droppedEvents}
            running={steerable && run.status !== "paused"}
            onFreeze={live.freeze}
          />
        </Card>
      ) : null}
    </div>
  );
}

function ActiveRun({
  run,
  controls,
  request,
  onRequested,
  syncId,
}: {
  run: LiveRunState;
  controls: LiveControls;
  request: ControlRequest;
  onRequested: (r: ControlRequest) => void;
  syncId: string;
}) {
  const ws = useWorkspace();
  const now = useNow(true);
  const progress = runProgress(run.counts, run.recordsPerSecond);
  const throttle = useThrottle(run, now);
  const paused = run.status === "paused";
  const delivering = run.status === "delivering" || paused || run.status === "committing";
  return (
    <Card data-testid="live-run" data-run-id={run.runId}>
      <div className="flex flex-wrap items-start justify-between gap-4 px-5 pt-5">
        <div className="min-w-0">
          <div className="flex flex-wrap items-center gap-3">
            <h2 className="text-base font-semibold text-zinc-900">{paused ? "Run paused" : "Run in progress"}</h2>
            <span data-testid="live-status" data-status={run.status}>
              <RunStatusBadge status={run.status} />
            </span>
          </div>
          <p className="mt-1 text-xs text-zinc-500">
            {!run.startedAt
              ? "Queued"
              : paused
                ? `Started ${timeAgo(run.startedAt, now)} · paused`
                : `Started ${timeAgo(run.startedAt, now)} · running for ${formatDuration(now - Date.parse(run.startedAt))}`}
            {" · "}
            <Link
              href={`/w/${ws.slug}/syncs/${syncId}/runs/${run.runId}`}
              className="font-medium text-brand-700 hover:text-brand-800"
            >
              Run details
            </Link>
          </p>
        </div>
        <RunControls runId={run.runId} status={run.status} controls={controls} onRequested={onRequested} />
      </div>

      <div className="px-5 pt-5">
        <StackedProgress pct={progress.pct} paused={paused} />
        <div className="mt-2 flex flex-wrap items-baseline justify-between gap-x-6 gap-y-1 text-sm">
          <p className="text-zinc-700 tabular-nums" data-testid="live-progress-text">
            {delivering && progress.planned > 0 ? (
              <>
                <span className="font-semibold text-zinc-900">{run.counts.delivered.toLocaleString()}</span> of{" "}
                {progress.planned.toLocaleString()} delivered
                <span className="text-zinc-400"> · {progress.donePct}% handled</span>
              </>
            ) : (
              PHASE_TEXT[run.status]
            )}
          </p>
          <div className="flex items-center gap-4 text-xs text-zinc-500">
            <span className="inline-flex items-center gap-1 tabular-nums" data-testid="live-rate">
              <Gauge className="size-3.5" aria-hidden />
              {paused || run.recordsPerSecond === null ? "—" : `${Math.round(run.recordsPerSecond).toLocaleString()} records/s`}
            </span>
            {!paused && progress.etaSeconds !== null ? (
              <span className="inline-flex items-center gap-1 tabular-nums">
                <Timer className="size-3.5" aria-hidden /> ~{formatEta(progress.etaSeconds)} left
              </span>
            ) : null}
          </div>
        </div>
        {delivering && progress.planned > 0 ? <p className="mt-1 text-xs text-zinc-500">{PHASE_TEXT[run.status]}</p> : null}
      </div>

      {throttle.active && !paused ? (
        <div
          className="mx-5 mt-4 flex items-start gap-2.5 rounded-lg bg-amber-50 px-3.5 py-2.5 text-sm text-amber-900 ring-1 ring-inset ring-amber-200"
          data-testid="throttle-indicator"
          role="status"
        >
          <Gauge className="mt-0.5 size-4 shrink-0" aria-hidden />
          <p>
            <span className="font-medium">The destination is slowing us down.</span> Waited {formatDuration(throttle.recentMs)} in
            the last 10 s{throttle.share !== null ? ` (${Math.round(throttle.share * 100)}% of the time)` : ""} on its rate limits
            or back pressure; Sluice sends more slowly until it recovers.
            {run.throttledMs ? ` ${formatDuration(run.throttledMs)} in all this run.` : ""}
          </p>
        </div>
      ) : null}

      {request ? (
        <p
          className="mx-5 mt-4 rounded-lg bg-zinc-50 px-3.5 py-2.5 text-sm text-zinc-700 ring-1 ring-inset ring-zinc-200"
          role="status"
          data-testid="control-pending"
        >
          {request.kind === "pause"
            ? "Pause requested: the run stops after the batch in flight, at a checkpoint."
            : "Cancel requested: the run stops at its next checkpoint and commits nothing."}
        </p>
      ) : null}
      {paused && !ws.can("sync.run") ? (
        <p className="mx-5 mt-4 text-xs text-zinc-500">Paused. An editor of this workspace can resume it.</p>
      ) : null}

      <Counts counts={run.counts} />
    </Card>
  );
}

function LastRun({ run, syncId, controls }: { run: LiveRunState; syncId: string; controls: LiveControls }) {
  const ws = useWorkspace();
  const progress = runProgress(run.counts, null);
  const duration = run.startedAt && run.finishedAt ? Date.parse(run.finishedAt) - Date.parse(run.startedAt) : null;
  return (
    <Card data-testid="last-run" data-run-id={run.runId}>
      <div className="flex flex-wrap items-start justify-between gap-4 px-5 pt-5">
        <div>
          <div className="flex flex-wrap items-center gap-3">
            <h2 className="text-base font-semibold text-zinc-900">No run under way</h2>
            <span className="text-sm text-zinc-500">Last run:</span>
            <span data-testid="live-status" data-status={run.status}>
              <RunStatusBadge status={run.status} />
            </span>
          </div>
          <p className="mt-1 text-xs text-zinc-500">
            {run.finishedAt ? (
              <span title={formatDateTimeSeconds(run.finishedAt)}>Finished {timeAgo(run.finishedAt)}</span>
            ) : null}
            {duration !== null ? ` · took ${formatDuration(duration)}` : null}
            {" · "}
            <Link
              href={`/w/${ws.slug}/syncs/${syncId}/runs/${run.runId}`}
              className="inline-flex items-center gap-0.5 font-medium text-brand-700 hover:text-brand-800"
            >
              Run details <ArrowRight className="size-3" aria-hidden />
            </Link>
          </p>
        </div>
        <RunNow syncId={syncId} controls={controls} />
      </div>
      {run.error ? (
        <p
          role="alert"
          className="mx-5 mt-4 rounded-lg bg-red-50 px-3.5 py-2.5 text-sm text-red-800 ring-1 ring-inset ring-red-200"
        >
          {run.error}
        </p>
      ) : null}
      {!run.error && run.status !== "succeeded" ? (
        <p className="mx-5 mt-4 text-sm text-zinc-600">{PHASE_TEXT[run.status]}</p>
      ) : null}
      <div className="px-5 pt-4">
        <StackedProgress pct={progress.pct} paused={false} />
        <p className="mt-1.5 text-xs text-zinc-500 tabular-nums">
          {run.counts.planned === 0
            ? "Nothing had changed since the run before: no records to send."
            : `${progress.processed.toLocaleString()} of ${run.counts.planned.toLocaleString()} handled: ${run.counts.delivered.toLocaleString()} delivered, ${run.counts.rejected.toLocaleString()} rejected, ${run.counts.failed.toLocaleString()} failed.`}
          {ws.can("sync.run") ? null : " Your role can watch runs; an editor of this workspace can start one."}
        </p>
      </div>
      <Counts counts={run.counts} />
    </Card>
  );
}

function NeverRan({ syncId, controls }: { syncId: string; controls: LiveControls }) {
  const ws = useWorkspace();
  return (
    <Card>
      <EmptyState icon={Radio} title="This sync has not run yet" actions={<RunNow syncId={syncId} controls={controls} />}>
        <p>
          Start a run and watch it here: records counted as they are delivered, rejected or failed, and a sample of what is sent
          with the destination's answers.
          {ws.can("sync.run") ? null : " Your role can watch runs; an editor of this workspace can start one."}
        </p>
      </EmptyState>
    </Card>
  );
}

function RunNow({ syncId, controls }: { syncId: string; controls: LiveControls }) {
  const ws = useWorkspace();
  if (!ws.can("sync.run")) return null;
  return (
    <div className="flex flex-col items-end gap-2">
      <Button loading={controls.run.isPending} onClick={() => controls.run.mutate({ workspace: ws.slug, syncId })}>
        {controls.run.isPending ? null : <Play className="size-4" aria-hidden />} Run now
      </Button>
      {controls.run.error ? (
        <div className="max-w-sm">
          <FormAlert>{controls.run.error.message}</FormAlert>
        </div>
      ) : null}
    </div>
  );
}

function Counts({ counts }: { counts: LiveRunState["counts"] }) {
  return (
    <dl className="mt-5 grid grid-cols-4 gap-px overflow-hidden rounded-b-xl border-t border-zinc-100 bg-zinc-100 sm:grid-cols-7">
      {COUNTS.map(([key, label]) => {
        const value = counts[key];
        const tone =
          key === "delivered"
            ? "text-emerald-700"
            : (key === "rejected" || key === "failed") && value > 0
              ? key === "failed"
                ? "text-red-600"
                : "text-amber-600"
              : "text-zinc-900";
        return (
          <div key={key} className="bg-white px-4 py-3">
            <dt className="text-xs text-zinc-500">{label}</dt>
            <dd className={cn("mt-0.5 text-lg font-semibold tabular-nums", tone)} data-testid={`live-count-${key}`}>
              {value.toLocaleString()}
            </dd>
          </div>
        );
      })}
    </dl>
  );
}

const BAR_FILL = { delivered: "bg-emerald-500", rejected: "bg-amber-400", failed: "bg-red-500" } as const;

function StackedProgress({ pct, paused }: { pct: { delivered: number; rejected: number; failed: number }; paused: boolean }) {
  const done = pct.delivered + pct.rejected + pct.failed;
  return (
    <div
      role="progressbar"
      aria-label="Records handled"
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={Math.round(done)}
      className="flex h-3 overflow-hidden rounded-full bg-zinc-200"
      data-testid="live-progress"
    >
      {(["delivered", "rejected", "failed"] as const).map((k) =>
        pct[k] > 0 ? (
          <div
            key={k}
            className={cn("h-full transition-[width] duration-500", BAR_FILL[k], paused && "opacity-60")}
            style={{ width: `${pct[k]}%` }}
            title={`${k}: ${pct[k].toFixed(1)}%`}
          />
        ) : null,
      )}
    </div>
  );
}

/** Keeps the recent throttledMs readings of the run on screen; resets when another run shows. */
function useThrottle(run: LiveRunState, now: number) {
  const samples = useRef<{ runId: string; list: ThrottleSample[] }>({ runId: run.runId, list: [] });
  const [, setVersion] = useState(0);
  useEffect(() => {
    if (samples.current.runId !== run.runId) samples.current = { runId: run.runId, list: [] };
    if (run.throttledMs === null) return;
    samples.current.list = addThrottleSample(samples.current.list, { at: Date.now(), throttledMs: run.throttledMs });
    setVersion((v) => v + 1);
  }, [run.runId, run.throttledMs]);
  return throttleState(samples.current.runId === run.runId ? samples.current.list : [], now);
}
