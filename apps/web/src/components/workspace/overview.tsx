"use client";
import { useQuery } from "@tanstack/react-query";
import {
  ArrowLeftRight,
  ArrowRight,
  CheckCircle2,
  Circle,
  Database,
  Inbox,
  type LucideIcon,
  Play,
  Send,
  Table2,
} from "lucide-react";
import Link from "next/link";
import { useWorkspace } from "@/components/shell/workspace-context";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { FormAlert } from "@/components/ui/field";
import { PageHeader } from "@/components/ui/page-header";
import { ErrorBlock, LoadingBlock } from "@/components/ui/spinner";
import { cn } from "@/lib/cn";
import { timeAgo } from "@/lib/format";
import { useTRPC } from "@/trpc/react";
import { LoadDemoButton } from "./load-demo-button";
import {
  isActive,
  outcomeSummary,
  ProgressBar,
  RunStatusBadge,
  type SyncListItem,
  useRunActions,
  useSyncList,
} from "./sync-runs";

export function Overview() {
  const trpc = useTRPC();
  const ws = useWorkspace();
  const summary = useQuery(trpc.workspace.summary.queryOptions({ workspace: ws.slug }));
  const demo = useQuery(trpc.demo.status.queryOptions({ workspace: ws.slug }));
  const syncs = useSyncList({ enabled: (summary.data?.counts.syncs ?? 0) > 0 });

  if (summary.isPending) return <LoadingBlock />;
  if (summary.error) return <ErrorBlock message={summary.error.message} />;
  const { counts } = summary.data;

  const stats: { label: string; value: number; icon: LucideIcon; href: string }[] = [
    { label: "Sources", value: counts.sources, icon: Database, href: "/sources" },
    { label: "Models", value: counts.models, icon: Table2, href: "/models" },
    { label: "Syncs", value: counts.syncs, icon: ArrowLeftRight, href: "/syncs" },
    { label: "Destinations", value: counts.destinations, icon: Send, href: "/destinations" },
  ];

  return (
    <div>
      <PageHeader title="Overview" description={`Everything flowing through ${summary.data.name}.`} />
      <dl className="grid grid-cols-2 gap-4 lg:grid-cols-4">
        {stats.map((s) => (
          <Link key={s.label} href={`/w/${ws.slug}${s.href}`} className="group">
            <Card className="p-5 transition-shadow group-hover:shadow-md">
              <dt className="flex items-center gap-2 text-sm text-zinc-500">
                <s.icon className="size-4 text-zinc-400" aria-hidden />
                {s.label}
              </dt>
              <dd
                className="mt-2 text-3xl font-semibold tracking-tight text-zinc-900 tabular-nums"
                data-testid={`count-${s.label}`}
              >
                {s.value.toLocaleString()}
              </dd>
            </Card>
          </Link>
        ))}
      </dl>

      {counts.syncs === 0 ? (
        <Card className="mt-8">
          <EmptyState
            icon={ArrowLeftRight}
            title="No syncs yet"
            actions={
              !demo.data ? null : !demo.data.loaded ? (
                <LoadDemoButton />
              ) : (
                <Link
                  href={`/w/${ws.slug}/demo-inbox`}
                  className="inline-flex items-center gap-1.5 text-sm font-medium text-brand-700 hover:text-brand-800"
                >
                  <Inbox className="size-4" aria-hidden /> Open the demo inbox
                </Link>
              )
            }
          >
            <p>
              A sync reads a <strong className="font-medium text-zinc-700">model</strong> from a{" "}
              <strong className="font-medium text-zinc-700">source</strong>, works out what changed since last time, and delivers
              only that to a <strong className="font-medium text-zinc-700">destination</strong>.
              {demo.data && !demo.data.loaded
                ? ws.can("demo.load")
                  ? " Load the demo to get a sample warehouse and an inbox that shows every record it receives."
                  : " Ask an admin of this workspace to connect a source or load the demo."
                : demo.data?.loaded
                  ? " The demo is loaded: its warehouse, model and inbox are ready for the first sync."
                  : null}
            </p>
          </EmptyState>
          <FlowSteps counts={counts} />
        </Card>
      ) : syncs.data ? (
        <>
          <DemoSyncHint
            sync={syncs.data.find(
              (sync) => demo.data?.loaded && sync.modelId === demo.data.modelId && sync.destinationId === demo.data.destinationId,
            )}
          />
          <RecentRuns syncs={syncs.data} />
        </>
      ) : syncs.error ? (
        <div className="mt-8">
          <ErrorBlock message={syncs.error.message} />
        </div>
      ) : null}
    </div>
  );
}

/** The demo is loaded but its sync never ran: one click starts it, then the inbox shows what arrived. */
function DemoSyncHint({ sync }: { sync: SyncListItem | undefined }) {
  const ws = useWorkspace();
  const { run } = useRunActions();
  if (!sync || sync.latestRun) return null;
  return (
    <Card className="mt-8 flex flex-wrap items-center gap-4 p-5" data-testid="demo-sync-hint">
      <div className="flex size-10 shrink-0 items-center justify-center rounded-lg bg-brand-50 ring-1 ring-brand-100">
        <Play className="size-5 text-brand-600" aria-hidden />
      </div>
      <div className="min-w-0 flex-1">
        <h2 className="text-sm font-semibold text-zinc-900">Run the demo sync</h2>
        <p className="mt-0.5 text-sm text-zinc-500">
          <span className="font-medium text-zinc-700">{sync.name}</span> sends {sync.modelName} to {sync.destinationName}. Its
          first run delivers every row; the inbox shows each record as it arrives.
          {ws.can("sync.run") ? null : " Ask an editor of this workspace to run it."}
        </p>
        {run.error ? (
          <div className="mt-2">
            <FormAlert>{run.error.message}</FormAlert>
          </div>
        ) : null}
      </div>
      <div className="flex items-center gap-4">
        <Link
          href={`/w/${ws.slug}/demo-inbox`}
          className="inline-flex items-center gap-1.5 text-sm font-medium text-brand-700 hover:text-brand-800"
        >
          <Inbox className="size-4" aria-hidden /> Open the demo inbox
        </Link>
        {ws.can("sync.run") ? (
          <Button loading={run.isPending} onClick={() => run.mutate({ workspace: ws.slug, syncId: sync.id })}>
            {run.isPending ? null : <Play className="size-4" aria-hidden />}
            Run the demo sync
          </Button>
        ) : null}
      </div>
    </Card>
  );
}

/** The latest run of each sync, newest first; syncs that never ran come last. */
function RecentRuns({ syncs }: { syncs: SyncListItem[] }) {
  const ws = useWorkspace();
  const rows = [...syncs].sort(
    (a, b) => (b.latestRun ? Date.parse(b.latestRun.createdAt) : 0) - (a.latestRun ? Date.parse(a.latestRun.createdAt) : 0),
  );
  const syncsHref = `/w/${ws.slug}/syncs`;
  return (
    <Card className="mt-8" data-testid="recent-runs">
      <CardHeader
        title="Recent runs"
        description="The latest run of each sync."
        actions={
          <Link
            href={syncsHref}
            className="inline-flex shrink-0 items-center gap-1 text-sm font-medium text-brand-700 hover:text-brand-800"
          >
            All syncs <ArrowRight className="size-4" aria-hidden />
          </Link>
        }
      />
      <ul className="divide-y divide-zinc-100">
        {rows.map((sync) => {
          const run = sync.latestRun;
          return (
            <li key={sync.id}>
              <Link href={syncsHref} className="flex flex-wrap items-center gap-x-6 gap-y-2 px-5 py-3.5 hover:bg-zinc-50">
                <div className="min-w-0 flex-1">
                  <p className="truncate text-sm font-medium text-zinc-900">{sync.name}</p>
                  <p className="truncate text-xs text-zinc-500">
                    {sync.modelName} → {sync.destinationName}
                  </p>
                </div>
                {run ? (
                  <>
                    {isActive(run) && run.counts.planned > 0 ? (
                      <ProgressBar
                        value={run.counts.delivered + run.counts.rejected + run.counts.failed}
                        max={run.counts.planned}
                        className="w-32"
                      />
                    ) : null}
                    <span className="text-sm text-zinc-600 tabular-nums">{outcomeSummary(run)}</span>
                    <span className="w-28 text-right text-xs text-zinc-400">{timeAgo(run.startedAt ?? run.createdAt)}</span>
                    <span className="w-28 text-right">
                      <RunStatusBadge status={run.status} />
                    </span>
                  </>
                ) : (
                  <span className="text-sm text-zinc-400">Never run</span>
                )}
              </Link>
            </li>
          );
        })}
      </ul>
    </Card>
  );
}

function FlowSteps({ counts }: { counts: { sources: number; models: number; syncs: number; destinations: number } }) {
  const steps = [
    {
      label: "Connect a source",
      detail: "A warehouse such as Postgres, Snowflake or BigQuery",
      done: counts.sources > 0,
      icon: Database,
    },
    { label: "Write a model", detail: "A SQL query with a primary key", done: counts.models > 0, icon: Table2 },
    { label: "Create a sync", detail: "Map columns to fields, pick a schedule", done: counts.syncs > 0, icon: ArrowLeftRight },
    { label: "Deliver to a destination", detail: "CRMs, ad platforms, webhooks", done: counts.destinations > 0, icon: Send },
  ];
  return (
    <ol
      className="grid gap-px overflow-hidden rounded-b-xl border-t border-zinc-100 bg-zinc-100 sm:grid-cols-4"
      aria-label="How Sluice works"
    >
      {steps.map((step, i) => (
        <li key={step.label} className="relative bg-zinc-50/60 px-5 py-4">
          <div className="flex items-center gap-2">
            {step.done ? (
              <CheckCircle2 className="size-4 text-emerald-500" aria-label="done" />
            ) : (
              <Circle className="size-4 text-zinc-300" aria-label="to do" />
            )}
            <span className="text-xs font-medium text-zinc-400">Step {i + 1}</span>
          </div>
          <p
            className={cn(
              "mt-2 text-sm font-medium",
              step.done ? "text-zinc-500 line-through decoration-zinc-300" : "text-zinc-900",
            )}
          >
            {step.label}
          </p>
          <p className="mt-0.5 text-xs text-zinc-500">{step.detail}</p>
          {i < steps.length - 1 ? (
            <ArrowRight
              className="absolute top-1/2 -right-2 z-10 hidden size-4 -translate-y-1/2 text-zinc-300 sm:block"
              aria-hidden
            />
          ) : null}
        </li>
      ))}
    </ol>
  );
}
