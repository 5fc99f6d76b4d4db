"use client";
// The records of a run that did not make it, grouped by reason (largest group first): each group opens to
// examples — the record's key, the payload sent, the destination's answer, how many attempts — a page at a
// time. Filter by rejected (bad data: not retried until the row changes) or failed (retried next run).
import type { RunStatus } from "@sluice/contracts/run-view";
import { useQuery } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import { CheckCircle2, ChevronDown, ChevronRight, Info } from "lucide-react";
import { useState } from "react";
import { keyText } from "@/components/live/event-filter";
import { useWorkspace } from "@/components/shell/workspace-context";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { CardHeader } from "@/components/ui/card";
import { FormAlert } from "@/components/ui/field";
import { ErrorBlock, LoadingBlock } from "@/components/ui/spinner";
import { cn } from "@/lib/cn";
import type { AppRouter } from "@/server/trpc/root";
import { useTRPC, useTRPCClient } from "@/trpc/react";
import { JsonBlock } from "./json-block";
import { formatDateTimeSeconds } from "./run-format";

type Groups = inferRouterOutputs<AppRouter>["run"]["outcomeGroups"];
type Group = Groups["groups"][number];
type Example = Group["examples"][number];
type StatusFilter = "all" | "rejected" | "failed";

const STATUS_HELP = {
  rejected: "Rejected: the record itself was refused (bad data or mapping). Not retried until its row changes.",
  failed: "Failed: the destination could not take it this time. Every next run retries it.",
} as const;

/** What "nothing to show" means depends on how the run went. */
function noOutcomesText(status: RunStatus): string {
  if (status === "failed")
    return "No record was rejected or failed on its own: the run stopped before finishing (see its error above).";
  if (status === "cancelled") return "No record was rejected or failed before the run was cancelled.";
  if (status === "succeeded") return "Every record this run handled was delivered.";
  return "No rejected or failed records so far.";
}

export function OutcomeGroups({ runId, status, poll }: { runId: string; status: RunStatus; poll: boolean }) {
  const trpc = useTRPC();
  const ws = useWorkspace();
  const [filter, setFilter] = useState<StatusFilter>("all");
  const query = useQuery({
    ...trpc.run.outcomeGroups.queryOptions({ workspace: ws.slug, runId, status: filter === "all" ? undefined : filter }),
    refetchInterval: poll ? 3_000 : false,
  });
  const totals = query.data?.totals;
  const filters: [StatusFilter, string, number | undefined][] = [
    ["all", "All", totals ? totals.rejected + totals.failed : undefined],
    ["rejected", "Rejected", totals?.rejected],
    ["failed", "Failed", totals?.failed],
  ];

  return (
    <div data-testid="outcome-groups">
      <CardHeader
        title="Records that did not make it"
        description="Grouped by reason, largest group first. Open a group for examples of what was sent and what came back."
        actions={
          <fieldset className="inline-flex shrink-0 rounded-lg bg-zinc-100 p-0.5 text-xs font-medium">
            <legend className="sr-only">Show</legend>
            {filters.map(([value, label, count]) => (
              <button
                key={value}
                type="button"
                aria-pressed={filter === value}
                onClick={() => setFilter(value)}
                className={cn(
                  "rounded-md px-2.5 py-1 transition-colors",
                  filter === value
                    ? "bg-white text-zinc-900 shadow-xs ring-1 ring-zinc-200"
                    : "text-zinc-500 hover:text-zinc-800",
                )}
              >
                {label}
                {count !== undefined ? <span className="ml-1 text-zinc-400 tabular-nums">{count.toLocaleString()}</span> : null}
              </button>
            ))}
          </fieldset>
        }
      />
      {query.isPending ? (
        <LoadingBlock label="Loading outcomes…" />
      ) : query.error ? (
        <div className="p-5">
          <ErrorBlock message={query.error.message} />
        </div>
      ) : query.data.groups.length === 0 ? (
        <div className="flex items-center gap-2 px-5 py-8 text-sm text-zinc-500">
          {status === "succeeded" ? (
            <CheckCircle2 className="size-4 shrink-0 text-emerald-600" aria-hidden />
          ) : (
            <Info className="size-4 shrink-0 text-zinc-400" aria-hidden />
          )}
          {totals && totals.rejected + totals.failed === 0 ? noOutcomesText(status) : `No ${filter} records in this run.`}
        </div>
      ) : (
        <>
          <ul className="divide-y divide-zinc-100">
            {query.data.groups.map((group, i) => (
              <li key={`${group.status}\n${group.reason}`}>
                <OutcomeGroupRow runId={runId} group={group} defaultOpen={i === 0} />
              </li>
            ))}
          </ul>
          {query.data.groupCount > query.data.groups.length ? (
            <p className="border-t border-zinc-100 px-5 py-3 text-xs text-zinc-500">
              The {query.data.groups.length} largest of {query.data.groupCount.toLocaleString()} reasons are shown.
            </p>
          ) : null}
        </>
      )}
    </div>
  );
}

function OutcomeGroupRow({ runId, group, defaultOpen }: { runId: string; group: Group; defaultOpen: boolean }) {
  const [open, setOpen] = useState(defaultOpen);
  return (
    <div data-testid="outcome-group" data-status={group.status}>
      <button
        type="button"
        aria-expanded={open}
        onClick={() => setOpen((o) => !o)}
        className="flex w-full items-start gap-3 px-5 py-3.5 text-left hover:bg-zinc-50"
      >
        {open ? (
          <ChevronDown className="mt-0.5 size-4 shrink-0 text-zinc-400" aria-hidden />
        ) : (
          <ChevronRight className="mt-0.5 size-4 shrink-0 text-zinc-400" aria-hidden />
        )}
        <Badge tone={group.status === "failed" ? "red" : "amber"} className="mt-px shrink-0 capitalize">
          {group.status}
        </Badge>
        <span className="min-w-0 flex-1 text-sm break-words text-zinc-800" data-testid="outcome-reason">
          {group.reason}
        </span>
        <span className="shrink-0 text-sm font-semibold text-zinc-900 tabular-nums" data-testid="outcome-count">
          {group.count.toLocaleString()}
          <span className="ml-1 text-xs font-normal text-zinc-500">record{group.count === 1 ? "" : "s"}</span>
        </span>
      </button>
      {open ? <GroupExamples runId={runId} group={group} /> : null}
    </div>
  );
}

function GroupExamples({ runId, group }: { runId: string; group: Group }) {
  const ws = useWorkspace();
  const client = useTRPCClient();
  const [more, setMore] = useState<Example[]>([]);
  const [cursor, setCursor] = useState<string | null>(group.nextCursor);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const examples = [...group.examples, ...more.filter((m) => !group.examples.some((e) => e.id === m.id))];

  async function loadMore() {
    if (!cursor) return;
    setLoading(true);
    setError(null);
    try {
      const page = await client.run.outcomeGroups.query({
        workspace: ws.slug,
        runId,
        status: group.status,
        reason: group.reason,
        cursor,
      });
      const next = page.groups[0];
      setMore((m) => [...m, ...(next?.examples ?? [])]);
      setCursor(next?.nextCursor ?? null);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setLoading(false);
    }
  }

  return (
    <div className="bg-zinc-50/60 px-5 pt-1 pb-4">
      <p className="mb-3 pl-7 text-xs text-zinc-500">{STATUS_HELP[group.status]}</p>
      <ul className="space-y-2 pl-7" data-testid="outcome-examples">
        {examples.map((example, i) => (
          <li key={example.id}>
            <ExampleRow example={example} defaultOpen={i === 0} />
          </li>
        ))}
      </ul>
      <div className="mt-3 flex flex-wrap items-center gap-3 pl-7">
        <p className="text-xs text-zinc-500 tabular-nums">
          {examples.length.toLocaleString()} of {group.count.toLocaleString()} shown
        </p>
        {cursor ? (
          <Button size="sm" variant="secondary" loading={loading} onClick={loadMore}>
            Show more examples
          </Button>
        ) : null}
      </div>
      {error ? (
        <div className="mt-2 pl-7">
          <FormAlert>{error}</FormAlert>
        </div>
      ) : null}
    </div>
  );
}

function ExampleRow({ example, defaultOpen }: { example: Example; defaultOpen: boolean }) {
  const [open, setOpen] = useState(defaultOpen);
  const sent = example.response !== null && example.response !== undefined;
  return (
    <div className="rounded-lg bg-white ring-1 ring-zinc-200" data-testid="outcome-example">
      <button
        type="button"
        aria-expanded={open}
        onClick={() => setOpen((o) => !o)}
        className="flex w-full flex-wrap items-center gap-x-4 gap-y-1 px-3 py-2 text-left text-xs"
      >
        {open ? (
          <ChevronDown className="size-3.5 text-zinc-400" aria-hidden />
        ) : (
          <ChevronRight className="size-3.5 text-zinc-400" aria-hidden />
        )}
        <span className="font-mono font-medium text-zinc-900" data-testid="example-key">
          {keyText(example.key)}
        </span>
        <span className="text-zinc-500">
          {example.attempts} attempt{example.attempts === 1 ? "" : "s"}
        </span>
        <span className="ml-auto text-zinc-400 tabular-nums">{formatDateTimeSeconds(example.at)}</span>
      </button>
      {open ? (
        <div className="grid gap-3 border-t border-zinc-100 p-3 lg:grid-cols-2">
          {/* A record rejected before sending (its mapping failed) keeps the model's row instead of a payload. */}
          <JsonBlock label={sent ? "Payload sent" : "Model row (not sent)"} value={example.payload} />
          <JsonBlock label="Destination response" value={example.response} />
        </div>
      ) : null}
    </div>
  );
}
