"use client";
// One run: how it was started and how it ended (with what to do next), its timeline of states, its
// counters, and the records that did not make it, grouped by reason.
import { useQuery } from "@tanstack/react-query";
import { AlertTriangle, ArrowLeft, Info, Radio } from "lucide-react";
import Link from "next/link";
import type { ReactNode } from "react";
import { useWorkspace } from "@/components/shell/workspace-context";
import { buttonClasses } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { ErrorBlock, LoadingBlock } from "@/components/ui/spinner";
import { ACTIVE_RUN_STATUSES, formatDuration, RunStatusBadge } from "@/components/workspace/sync-runs";
import { cn } from "@/lib/cn";
import { timeAgo } from "@/lib/format";
import { useTRPC } from "@/trpc/react";
import { OutcomeGroups } from "./outcome-groups";
import { formatDateTimeSeconds, runNextStep, TRIGGER_LABEL } from "./run-format";
import { RunTimeline } from "./run-timeline";
import { useNow } from "./use-now";

const COUNTERS = [
  ["planned", "Planned", "Changed rows this run set out to send"],
  ["added", "Added", "New rows since the last committed snapshot"],
  ["changed", "Changed", "Rows whose mapped columns changed"],
  ["removed", "Removed", "Rows gone from the model"],
  ["delivered", "Delivered", "Accepted by the destination"],
  ["rejected", "Rejected", "Refused as bad data; sent again when the row changes"],
  ["failed", "Failed", "Not accepted this time; retried by the next run"],
] as const;

export function RunDetailPage({ syncId, runId }: { syncId: string; runId: string }) {
  const trpc = useTRPC();
  const ws = useWorkspace();
  const base = `/w/${ws.slug}/syncs/${syncId}`;
  const detail = useQuery({
    ...trpc.run.detail.queryOptions({ workspace: ws.slug, runId }),
    refetchInterval: (q) => (q.state.data && isLive(q.state.data.status) ? 2_000 : false),
  });
  const live = detail.data ? isLive(detail.data.status) : false;
  const now = useNow(live);

  const back = (
    <Link href={`${base}/runs`} className="inline-flex items-center gap-1 text-xs font-medium text-zinc-500 hover:text-zinc-800">
      <ArrowLeft className="size-3.5" aria-hidden /> All runs
    </Link>
  );
  if (detail.isPending) return <LoadingBlock />;
  if (detail.error)
    return (
      <div className="space-y-4">
        {back}
        <ErrorBlock message={detail.error.message} />
      </div>
    );

  const run = detail.data;
  // While it runs, the duration keeps counting between polls.
  const duration = run.startedAt && !run.finishedAt ? Math.max(0, now - Date.parse(run.startedAt)) : (run.durationMs ?? null);
  const nextStep = runNextStep(run);

  return (
    <div className="space-y-6">
      <div className="flex items-center justify-between gap-4">
        {back}
        {live || run.status === "paused" ? (
          <Link href={`${base}/live`} className={buttonClasses("secondary", "sm")}>
            <Radio className="size-3.5 text-brand-600" aria-hidden />{" "}
            {run.status === "paused" ? "Resume from the live view" : "Watch live"}
          </Link>
        ) : null}
      </div>

      <Card data-testid="run-header">
        <div className="flex flex-wrap items-start justify-between gap-4 px-5 pt-5">
          <div>
            <div className="flex flex-wrap items-center gap-3">
              <h2 className="text-base font-semibold text-zinc-900">
                Run {formatDateTimeSeconds(run.startedAt ?? run.createdAt)}
              </h2>
              <RunStatusBadge status={run.status} />
            </div>
            <p className="mt-1 font-mono text-xs text-zinc-400">{run.id}</p>
          </div>
        </div>
        <dl className="grid grid-cols-2 gap-x-6 gap-y-4 px-5 py-5 sm:grid-cols-3 lg:grid-cols-5">
          <Fact label="Trigger">{TRIGGER_LABEL[run.trigger]}</Fact>
          <Fact label="Started">
            {run.startedAt ? (
              <span title={formatDateTimeSeconds(run.startedAt)}>{timeAgo(run.startedAt, now)}</span>
            ) : (
              <span className="text-zinc-500">Not yet (queued {timeAgo(run.createdAt, now)})</span>
            )}
          </Fact>
          <Fact label="Finished">
            {run.finishedAt ? formatDateTimeSeconds(run.finishedAt) : <span className="text-zinc-500">—</span>}
          </Fact>
          <Fact label="Duration">
            <span data-testid="run-duration">
              {duration === null ? "—" : `${formatDuration(duration)}${run.finishedAt ? "" : " so far"}`}
            </span>
            {run.waitedMs >= 1_000 ? (
              <span className="block text-xs font-normal text-zinc-500">after {formatDuration(run.waitedMs)} in the queue</span>
            ) : null}
          </Fact>
          <Fact label="Mode">
            <span className="capitalize">{run.mode}</span>
          </Fact>
        </dl>
        {run.fullResync ? (
          <Notice icon={Info} tone="brand">
            <strong className="font-medium">Full resync</strong>
            {run.fullResyncReason ? `: ${run.fullResyncReason}.` : "."} Every row was compared as new, not only what changed since
            the last run.
          </Notice>
        ) : null}
        {run.error ? (
          <Notice icon={AlertTriangle} tone="red">
            <p className="font-medium" data-testid="run-error">
              {run.error}
            </p>
            {nextStep ? <p className="mt-1 text-red-700/90">{nextStep}</p> : null}
          </Notice>
        ) : nextStep ? (
          <Notice icon={Info} tone={run.status === "succeeded" ? "amber" : "neutral"}>
            {nextStep}
          </Notice>
        ) : null}
        <div className="h-5" />
      </Card>

      <Card>
        <CardHeader title="Records" description="What the diff found and what became of each record." />
        <dl className="grid grid-cols-2 gap-px overflow-hidden rounded-b-xl bg-zinc-100 sm:grid-cols-4 lg:grid-cols-7">
          {COUNTERS.map(([key, label, help]) => {
            const value = run.counts[key];
            const bad = (key === "rejected" || key === "failed") && value > 0;
            return (
              <div key={key} className="bg-white px-4 py-3.5" title={help}>
                <dt className="text-xs text-zinc-500">{label}</dt>
                <dd
                  className={cn("mt-1 text-xl font-semibold tabular-nums", bad ? "text-red-600" : "text-zinc-900")}
                  data-testid={`detail-count-${key}`}
                >
                  {value.toLocaleString()}
                </dd>
              </div>
            );
          })}
        </dl>
      </Card>

      <Card>
        <CardHeader title="Timeline" description="Each state the run went through, and how long it stayed there." />
        <RunTimeline steps={run.steps} />
      </Card>

      <Card>
        <OutcomeGroups runId={runId} status={run.status} poll={live} />
      </Card>
    </div>
  );
}

function isLive(status: string): boolean {
  return (ACTIVE_RUN_STATUSES as readonly string[]).includes(status);
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs text-zinc-500">{label}</dt>
      <dd className="mt-1 text-sm font-medium text-zinc-900">{children}</dd>
    </div>
  );
}

const NOTICE_TONES = {
  brand: "bg-brand-50 text-brand-900 ring-brand-200",
  red: "bg-red-50 text-red-800 ring-red-200",
  amber: "bg-amber-50 text-amber-900 ring-amber-200",
  neutral: "bg-zinc-50 text-zinc-700 ring-zinc-200",
} as const;

function Notice({ icon: Icon, tone, children }: { icon: typeof Info; tone: keyof typeof NOTICE_TONES; children: ReactNode }) {
  return (
    <div className={cn("mx-5 mt-0 mb-3 flex gap-2.5 rounded-lg px-3.5 py-3 text-sm ring-1 ring-inset", NOTICE_TONES[tone])}>
      <Icon className="mt-0.5 size-4 shrink-0" aria-hidden />
      <div className="min-w-0">{children}</div>
    </div>
  );
}
