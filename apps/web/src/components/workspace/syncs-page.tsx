"use client";
import type { RunView } from "@sluice/contracts/run-view";
import { useQuery } from "@tanstack/react-query";
import { ArrowLeftRight, History, Inbox, Pause, Play, Plus, Radio, RefreshCcw, Settings2, Square } from "lucide-react";
import Link from "next/link";
import { useEffect, useState } from "react";
import { useWorkspace } from "@/components/shell/workspace-context";
import { Badge } from "@/components/ui/badge";
import { Button, buttonClasses } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Dialog } from "@/components/ui/dialog";
import { EmptyState } from "@/components/ui/empty-state";
import { FormAlert } from "@/components/ui/field";
import { PageHeader } from "@/components/ui/page-header";
import { ErrorBlock, LoadingBlock } from "@/components/ui/spinner";
import { formatDateTime, timeAgo } from "@/lib/format";
import { useTRPC } from "@/trpc/react";
import { LoadDemoButton } from "./load-demo-button";
import {
  COUNT_LABELS,
  formatDuration,
  isActive,
  MODE_SENTENCE,
  ProgressBar,
  RunStatusBadge,
  runDuration,
  type SyncListItem,
  scheduleLabel,
  useRunActions,
  useSyncList,
} from "./sync-runs";

export function SyncsPage() {
  const trpc = useTRPC();
  const ws = useWorkspace();
  const syncs = useSyncList();
  const demo = useQuery(trpc.demo.status.queryOptions({ workspace: ws.slug }));
  const demoInboxId = demo.data?.destinationId ?? null;
  return (
    <div>
      <PageHeader
        title="Syncs"
        description="A sync sends a model's changed rows to a destination, on a schedule or on demand."
        actions={
          ws.can("sync.write") ? (
            <Link href={`/w/${ws.slug}/syncs/new`} className={buttonClasses("primary")}>
              <Plus className="size-4" aria-hidden /> New sync
            </Link>
          ) : null
        }
      />
      {syncs.isPending ? (
        <LoadingBlock />
      ) : syncs.error ? (
        <ErrorBlock message={syncs.error.message} />
      ) : syncs.data.length === 0 ? (
        <NoSyncs />
      ) : (
        <ul className="space-y-4">
          {syncs.data.map((sync) => (
            <li key={sync.id}>
              <SyncCard sync={sync} toDemoInbox={demoInboxId !== null && sync.destinationId === demoInboxId} />
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function NoSyncs() {
  const trpc = useTRPC();
  const ws = useWorkspace();
  const demo = useQuery(trpc.demo.status.queryOptions({ workspace: ws.slug }));
  return (
    <Card>
      <EmptyState icon={ArrowLeftRight} title="No syncs yet" actions={demo.data && !demo.data.loaded ? <LoadDemoButton /> : null}>
        <p>
          A sync maps a model's columns to a destination's fields. Each run snapshots the model, diffs it against the last run and
          delivers only what changed — with retries and checkpoints.
        </p>
        <p className="mt-3 text-xs text-zinc-400">
          Define syncs in a <code className="font-mono">sluice.yaml</code> and run{" "}
          <code className="font-mono">npx sluice apply</code>
          {demo.data && !demo.data.loaded ? ", or load the demo for one that is ready to run." : "."}
        </p>
      </EmptyState>
    </Card>
  );
}

/** Re-renders every second while `on`, so a running duration ticks between polls. */
function useNow(on: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!on) return;
    const timer = setInterval(() => setNow(Date.now()), 1_000);
    return () => clearInterval(timer);
  }, [on]);
  return on ? now : Date.now();
}

function SyncCard({ sync, toDemoInbox }: { sync: SyncListItem; toDemoInbox: boolean }) {
  const ws = useWorkspace();
  const run = sync.latestRun;
  // The run that can be steered: under way, or paused until someone resumes it.
  const current = run && (isActive(run) || run.status === "paused") ? run : null;
  const actions = useRunActions();
  const [confirmResync, setConfirmResync] = useState(false);
  const pending = actions.run.isPending || actions.pause.isPending || actions.resume.isPending || actions.cancel.isPending;
  const error = actions.run.error ?? actions.pause.error ?? actions.resume.error ?? actions.cancel.error;
  const runNow = (fullResync: boolean) =>
    actions.run.mutate({ workspace: ws.slug, syncId: sync.id, fullResync }, { onSuccess: () => setConfirmResync(false) });

  return (
    <Card data-testid="sync-card" aria-labelledby={`sync-${sync.id}`}>
      <div className="flex flex-wrap items-start justify-between gap-4 px-5 pt-5">
        <div className="flex min-w-0 items-center gap-3">
          <div className="flex size-10 shrink-0 items-center justify-center rounded-lg bg-brand-50 ring-1 ring-brand-100">
            <ArrowLeftRight className="size-5 text-brand-600" aria-hidden />
          </div>
          <div className="min-w-0">
            <h3 id={`sync-${sync.id}`} className="text-sm font-semibold text-zinc-900">
              {sync.name}
            </h3>
            <p className="mt-0.5 truncate text-xs text-zinc-500">
              {sync.modelName} → {sync.destinationName}
            </p>
          </div>
        </div>
        <div className="flex items-center gap-2">
          <Badge tone="brand" className="capitalize">
            {sync.mode}
          </Badge>
          <Badge>{scheduleLabel(sync.schedule)}</Badge>
          {sync.enabled ? null : <Badge tone="amber">Disabled</Badge>}
          <Link
            href={`/w/${ws.slug}/syncs/${sync.id}/settings`}
            className="ml-2 inline-flex items-center gap-1 text-xs font-medium text-brand-700 hover:text-brand-800"
          >
            <Settings2 className="size-3.5" aria-hidden /> Settings
          </Link>
          <Link
            href={`/w/${ws.slug}/syncs/${sync.id}/runs`}
            className="inline-flex items-center gap-1 text-xs font-medium text-brand-700 hover:text-brand-800"
          >
            <History className="size-3.5" aria-hidden /> Run history
          </Link>
          <Link
            href={`/w/${ws.slug}/syncs/${sync.id}/live`}
            className="inline-flex items-center gap-1 text-xs font-medium text-brand-700 hover:text-brand-800"
          >
            <Radio className="size-3.5" aria-hidden /> Live view
          </Link>
        </div>
      </div>
      <p className="px-5 pt-3 text-sm text-zinc-600">
        {MODE_SENTENCE[sync.mode]}{" "}
        <span className="text-zinc-400">
          {sync.schedule.type === "manual"
            ? "Runs when someone starts it."
            : sync.enabled && sync.nextRunAt
              ? `Next run ${timeAgo(sync.nextRunAt)}.`
              : sync.enabled
                ? null
                : "The schedule is off."}
        </span>
      </p>

      <div className="mx-5 mt-4 rounded-lg bg-zinc-50 px-4 py-3 ring-1 ring-inset ring-zinc-100">
        {run ? (
          <LatestRun run={run} toDemoInbox={toDemoInbox} />
        ) : (
          <p className="text-sm text-zinc-500">Never run. The first run sends every row.</p>
        )}
      </div>

      <div className="flex flex-wrap items-center justify-end gap-2 px-5 py-4">
        {!ws.can("sync.run") ? (
          <p className="mr-auto text-xs text-zinc-400">Your role can see runs but not start them.</p>
        ) : current ? (
          <>
            {current.status === "paused" ? (
              <Button
                size="sm"
                loading={actions.resume.isPending}
                disabled={pending}
                onClick={() => actions.resume.mutate({ workspace: ws.slug, runId: current.id })}
              >
                <Play className="size-3.5" aria-hidden /> Resume
              </Button>
            ) : current.status !== "committing" ? (
              <Button
                size="sm"
                variant="secondary"
                loading={actions.pause.isPending}
                disabled={pending}
                onClick={() => actions.pause.mutate({ workspace: ws.slug, runId: current.id })}
              >
                <Pause className="size-3.5" aria-hidden /> Pause
              </Button>
            ) : null}
            {current.status !== "committing" ? (
              <Button
                size="sm"
                variant="secondary"
                loading={actions.cancel.isPending}
                disabled={pending}
                onClick={() => actions.cancel.mutate({ workspace: ws.slug, runId: current.id })}
              >
                <Square className="size-3.5" aria-hidden /> Cancel run
              </Button>
            ) : null}
          </>
        ) : (
          <>
            <Button size="sm" variant="secondary" disabled={pending} onClick={() => setConfirmResync(true)}>
              <RefreshCcw className="size-3.5" aria-hidden /> Full resync
            </Button>
            <Button size="sm" loading={actions.run.isPending && !confirmResync} disabled={pending} onClick={() => runNow(false)}>
              {actions.run.isPending && !confirmResync ? null : <Play className="size-3.5" aria-hidden />} Run now
            </Button>
          </>
        )}
      </div>
      {error && !confirmResync ? (
        <div className="px-5 pb-4">
          <FormAlert>{error.message}</FormAlert>
        </div>
      ) : null}

      <Dialog
        open={confirmResync}
        onClose={() => setConfirmResync(false)}
        title="Run a full resync?"
        description={
          <>
            This sends every row of {sync.modelName} to {sync.destinationName} again, not only what changed since the last run.
            Use it when the destination lost or altered records.
          </>
        }
      >
        {actions.run.error ? <FormAlert>{actions.run.error.message}</FormAlert> : null}
        <div className="mt-4 flex justify-end gap-3">
          <Button variant="secondary" onClick={() => setConfirmResync(false)}>
            Cancel
          </Button>
          <Button loading={actions.run.isPending} onClick={() => runNow(true)}>
            Send every row again
          </Button>
        </div>
      </Dialog>
    </Card>
  );
}

const ACTIVE_STEP: Partial<Record<RunView["status"], string>> = {
  queued: "Waiting for a worker…",
  planning: "Planning the run…",
  snapshotting: "Snapshotting the model in the warehouse…",
  diffing: "Comparing with the last run…",
  committing: "Committing the results…",
};

function LatestRun({ run, toDemoInbox }: { run: RunView; toDemoInbox: boolean }) {
  const ws = useWorkspace();
  const active = isActive(run);
  const now = useNow(active);
  const duration = runDuration(run, now);
  const { planned, delivered, rejected, failed } = run.counts;
  const processed = delivered + rejected + failed;
  const showProgress = active || run.status === "paused";
  return (
    <div data-testid="latest-run">
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1 text-sm">
        <RunStatusBadge status={run.status} />
        <span className="text-zinc-500" title={formatDateTime(run.startedAt ?? run.createdAt)}>
          {run.startedAt ? `Started ${timeAgo(run.startedAt, now)}` : `Queued ${timeAgo(run.createdAt, now)}`}
          {duration !== null ? ` · ${run.finishedAt ? "took" : "running for"} ${formatDuration(duration)}` : null}
        </span>
        {run.fullResync ? (
          <span className="text-xs text-zinc-400">Full resync{run.fullResyncReason ? ` (${run.fullResyncReason})` : null}</span>
        ) : null}
      </div>

      {showProgress ? (
        <div className="mt-3">
          <ProgressBar value={processed} max={planned} />
          <p className="mt-1.5 text-xs text-zinc-500 tabular-nums">
            {planned > 0 && (run.status === "delivering" || run.status === "paused")
              ? `${delivered.toLocaleString()} of ${planned.toLocaleString()} delivered${
                  run.status === "paused" ? " — paused at a checkpoint; resuming continues from there" : ""
                }`
              : (ACTIVE_STEP[run.status] ?? "Working…")}
          </p>
        </div>
      ) : null}

      <dl className="mt-3 grid grid-cols-3 gap-3 sm:grid-cols-6">
        {COUNT_LABELS.map(([key, label]) => {
          const value = run.counts[key];
          const bad = (key === "rejected" || key === "failed") && value > 0;
          return (
            <div key={key}>
              <dt className="text-xs text-zinc-500">{label}</dt>
              <dd
                className={`mt-0.5 text-base font-semibold tabular-nums ${bad ? "text-red-600" : "text-zinc-900"}`}
                data-testid={`run-count-${key}`}
              >
                {value.toLocaleString()}
              </dd>
            </div>
          );
        })}
      </dl>

      {run.error ? (
        <p role="alert" className="mt-3 text-sm text-red-700">
          {run.error}
        </p>
      ) : null}
      {toDemoInbox && run.status === "succeeded" && delivered > 0 ? (
        <Link
          href={`/w/${ws.slug}/demo-inbox`}
          className="mt-3 inline-flex items-center gap-1.5 text-xs font-medium text-brand-700 hover:text-brand-800"
        >
          <Inbox className="size-3.5" aria-hidden /> See what the demo inbox received
        </Link>
      ) : null}
    </div>
  );
}
