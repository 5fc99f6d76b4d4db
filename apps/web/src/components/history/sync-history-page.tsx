"use client";
// A sync's history: the chart of its last runs above the runs table (paged), "Retry failed now" for editors,
// and, before the first run, how to start one.
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { History, Play, Radio, RotateCcw } from "lucide-react";
import Link from "next/link";
import { useState } from "react";
import { useWorkspace } from "@/components/shell/workspace-context";
import { Button, buttonClasses } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { FormAlert } from "@/components/ui/field";
import { ErrorBlock, LoadingBlock } from "@/components/ui/spinner";
import { ACTIVE_RUN_STATUSES } from "@/components/workspace/sync-runs";
import { useTRPC } from "@/trpc/react";
import { HistoryChart } from "./history-chart";
import { RunsTable } from "./runs-table";
import { useNow } from "./use-now";

const PAGE_SIZE = 20;
const CHART_RUNS = 30;
const ACTIVE_POLL_MS = 2_000;
const IDLE_POLL_MS = 20_000;

/** Run now / retry failed, refreshing every run and sync query when done. */
export function useStartRun() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const refresh = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: trpc.run.pathKey() }),
      queryClient.invalidateQueries({ queryKey: trpc.sync.pathKey() }),
    ]);
  return {
    run: useMutation(trpc.sync.run.mutationOptions({ onSettled: refresh })),
    retryFailed: useMutation(trpc.run.retryFailed.mutationOptions({ onSettled: refresh })),
  };
}

export function SyncHistoryPage({ syncId }: { syncId: string }) {
  const trpc = useTRPC();
  const ws = useWorkspace();
  const base = `/w/${ws.slug}/syncs/${syncId}`;
  const runHref = (runId: string) => `${base}/runs/${runId}`;
  const [cursors, setCursors] = useState<string[]>([]);
  const cursor = cursors.at(-1);

  const history = useQuery({
    ...trpc.run.history.queryOptions({ workspace: ws.slug, syncId, limit: CHART_RUNS }),
    refetchInterval: (q) =>
      q.state.data?.points.some((p) => ACTIVE_RUN_STATUSES.includes(p.status)) ? ACTIVE_POLL_MS : IDLE_POLL_MS,
  });
  const active = Boolean(history.data?.points.some((p) => ACTIVE_RUN_STATUSES.includes(p.status)));
  const list = useQuery({
    ...trpc.run.list.queryOptions({ workspace: ws.slug, syncId, limit: PAGE_SIZE, cursor }),
    placeholderData: keepPreviousData,
    refetchInterval: active ? ACTIVE_POLL_MS : IDLE_POLL_MS,
  });
  const now = useNow(active);
  const { retryFailed } = useStartRun();

  if (history.isPending || list.isPending) return <LoadingBlock />;
  if (history.error) return <ErrorBlock message={history.error.message} />;
  if (list.error) return <ErrorBlock message={list.error.message} />;

  const points = history.data.points;
  if (points.length === 0) return <NoRuns syncId={syncId} />;
  const lastFinished = [...points].reverse().find((p) => !ACTIVE_RUN_STATUSES.includes(p.status) && p.status !== "paused");
  const failedLastRun = lastFinished?.failed ?? 0;

  return (
    <div className="space-y-6">
      <div className="space-y-3">
        <div className="flex flex-wrap items-start justify-between gap-4">
          <p className="max-w-xl text-sm text-zinc-500">
            Every run of this sync: what it found, what it delivered, and how long it took. Open a run for its timeline and the
            records that did not make it.
          </p>
          <div className="flex items-center gap-2">
            {active ? (
              <Link href={`${base}/live`} className={buttonClasses("secondary", "sm")}>
                <Radio className="size-3.5 text-brand-600" aria-hidden /> Watch the run live
              </Link>
            ) : null}
            {ws.can("sync.run") ? (
              <Button
                size="sm"
                variant={failedLastRun > 0 ? "primary" : "secondary"}
                loading={retryFailed.isPending}
                onClick={() => retryFailed.mutate({ workspace: ws.slug, syncId })}
                title="Starts a run now; every run retries the records the last one failed to deliver."
              >
                {retryFailed.isPending ? null : <RotateCcw className="size-3.5" aria-hidden />}
                Retry failed now
                {failedLastRun > 0 ? <span className="tabular-nums">({failedLastRun.toLocaleString()})</span> : null}
              </Button>
            ) : null}
          </div>
        </div>
        {retryFailed.data ? (
          <p
            role="status"
            data-testid="retry-message"
            className="rounded-lg bg-brand-50 px-3.5 py-2.5 text-sm text-brand-900 ring-1 ring-inset ring-brand-200"
          >
            {retryFailed.data.message}{" "}
            <Link href={`${base}/live`} className="font-medium underline underline-offset-2">
              Watch it live
            </Link>
          </p>
        ) : null}
        {retryFailed.error ? <FormAlert>{retryFailed.error.message}</FormAlert> : null}
      </div>

      <Card>
        <CardHeader
          title={`Last ${points.length === 1 ? "run" : `${points.length} runs`}`}
          description="Records per run, stacked by outcome, and each run's duration."
        />
        <HistoryChart points={points} runHref={runHref} />
      </Card>

      <Card>
        <CardHeader title="Runs" description="Newest first. Open a run for its timeline and record-level outcomes." />
        <RunsTable
          runs={list.data.items}
          runHref={runHref}
          page={cursors.length + 1}
          hasOlder={Boolean(list.data.nextCursor)}
          loading={list.isPlaceholderData}
          onNewer={() => setCursors((c) => c.slice(0, -1))}
          onOlder={() => {
            const next = list.data.nextCursor;
            if (next) setCursors((c) => [...c, next]);
          }}
          now={now}
        />
      </Card>
    </div>
  );
}

function NoRuns({ syncId }: { syncId: string }) {
  const trpc = useTRPC();
  const ws = useWorkspace();
  const sync = useQuery(trpc.sync.get.queryOptions({ workspace: ws.slug, id: syncId }));
  const { run } = useStartRun();
  const name = sync.data?.name ?? "<sync-name>";
  return (
    <Card>
      <EmptyState
        icon={History}
        title="No runs yet"
        actions={
          <>
            {ws.can("sync.run") ? (
              <Button loading={run.isPending} onClick={() => run.mutate({ workspace: ws.slug, syncId })}>
                {run.isPending ? null : <Play className="size-4" aria-hidden />} Run now
              </Button>
            ) : null}
            <Link href={`/w/${ws.slug}/syncs/${syncId}/live`} className={buttonClasses("secondary")}>
              <Radio className="size-4 text-brand-600" aria-hidden /> Open the live view
            </Link>
          </>
        }
      >
        <p>
          Once this sync runs, each run shows up here with what it delivered and how long it took. The first run sends every row
          of the model.
        </p>
        <p className="mt-3 text-xs text-zinc-400">
          {ws.can("sync.run")
            ? "Start one with Run now, "
            : "Your role can see runs but not start them; an editor can start one from the app, "}
          from the CLI with <code className="font-mono whitespace-nowrap text-zinc-500">npx sluice sync run {name}</code>, or with{" "}
          <code className="font-mono whitespace-nowrap text-zinc-500">POST /api/v1/syncs/{name}/runs</code>. Scheduled syncs start
          on their own.
        </p>
        {run.error ? (
          <div className="mt-4">
            <FormAlert>{run.error.message}</FormAlert>
          </div>
        ) : null}
        {run.data ? (
          <p role="status" className="mt-4 text-sm text-brand-700">
            Run started.{" "}
            <Link href={`/w/${ws.slug}/syncs/${syncId}/live`} className="font-medium underline underline-offset-2">
              Watch it live
            </Link>
          </p>
        ) : null}
      </EmptyState>
    </Card>
  );
}
