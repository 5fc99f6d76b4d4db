"use client";
// A sync's runs, newest first, a page at a time (run.list's cursor); each row opens the run's detail.
import type { inferRouterOutputs } from "@trpc/server";
import { ChevronLeft, ChevronRight } from "lucide-react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { Button } from "@/components/ui/button";
import { Table } from "@/components/ui/table";
import { formatDuration, RunStatusBadge } from "@/components/workspace/sync-runs";
import { cn } from "@/lib/cn";
import { formatDateTime, timeAgo } from "@/lib/format";
import type { AppRouter } from "@/server/trpc/root";
import { TRIGGER_LABEL } from "./run-format";

export type RunListItem = inferRouterOutputs<AppRouter>["run"]["list"]["items"][number];

/** Cells of this table (the kit's Td fixes a text colour, and these need their own). */
const CELL = "px-4 py-2.5 align-middle first:pl-5";
const HEAD = "py-2.5 text-xs font-medium tracking-wide whitespace-nowrap text-zinc-500 uppercase first:pl-5";

const COUNT_COLUMNS = [
  ["added", "Added"],
  ["changed", "Changed"],
  ["removed", "Removed"],
  ["delivered", "Delivered"],
  ["rejected", "Rejected"],
  ["failed", "Failed"],
] as const;

export function RunsTable({
  runs,
  runHref,
  page,
  hasOlder,
  onNewer,
  onOlder,
  loading,
  now,
}: {
  runs: RunListItem[];
  runHref: (runId: string) => string;
  page: number;
  hasOlder: boolean;
  onNewer: () => void;
  onOlder: () => void;
  loading: boolean;
  now: number;
}) {
  const router = useRouter();
  return (
    <div>
      <Table data-testid="runs-table">
        <thead className="bg-zinc-50/70">
          <tr>
            <th scope="col" className={cn(HEAD, "px-4 text-left")}>
              Status
            </th>
            <th scope="col" className={cn(HEAD, "px-4 text-left")}>
              Trigger
            </th>
            <th scope="col" className={cn(HEAD, "px-4 text-left")}>
              Started
            </th>
            <th scope="col" className={cn(HEAD, "px-4 text-right")}>
              Duration
            </th>
            {COUNT_COLUMNS.map(([key, label]) => (
              <th key={key} scope="col" className={cn(HEAD, "px-3 text-right last:pr-5")}>
                {label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className={cn("divide-y divide-zinc-100", loading && "opacity-60")}>
          {runs.map((run) => {
            const href = runHref(run.id);
            const duration = run.startedAt && !run.finishedAt ? now - Date.parse(run.startedAt) : run.durationMs;
            return (
              <tr
                key={run.id}
                data-testid="run-row"
                className="cursor-pointer hover:bg-zinc-50"
                onClick={(e) => {
                  if (!(e.target as HTMLElement).closest("a")) router.push(href);
                }}
              >
                <td className={CELL}>
                  <RunStatusBadge status={run.status} />
                </td>
                <td className={cn(CELL, "whitespace-nowrap text-zinc-600")}>
                  {TRIGGER_LABEL[run.trigger]}
                  {run.fullResync ? <span className="block text-xs text-zinc-400">full resync</span> : null}
                </td>
                <td className={cn(CELL, "whitespace-nowrap")}>
                  <Link
                    href={href}
                    className="font-medium text-zinc-900 hover:text-brand-700"
                    title={formatDateTime(run.startedAt ?? run.createdAt)}
                  >
                    {run.startedAt ? timeAgo(run.startedAt, now) : `Queued ${timeAgo(run.createdAt, now)}`}
                  </Link>
                </td>
                <td className={cn(CELL, "text-right whitespace-nowrap text-zinc-600 tabular-nums")}>
                  {duration === null ? "—" : formatDuration(duration)}
                </td>
                {COUNT_COLUMNS.map(([key]) => {
                  const value = run.counts[key];
                  const bad = (key === "rejected" || key === "failed") && value > 0;
                  return (
                    <td
                      key={key}
                      className={cn(
                        "px-3 py-2.5 text-right align-middle tabular-nums last:pr-5",
                        bad ? "font-medium text-red-600" : value === 0 ? "text-zinc-300" : "text-zinc-700",
                      )}
                      data-testid={`run-row-${key}`}
                    >
                      {value.toLocaleString()}
                    </td>
                  );
                })}
              </tr>
            );
          })}
        </tbody>
      </Table>
      <div className="flex items-center justify-between gap-3 border-t border-zinc-100 px-5 py-3">
        <p className="text-xs text-zinc-500">Page {page}</p>
        <div className="flex gap-2">
          <Button size="sm" variant="secondary" disabled={page === 1 || loading} onClick={onNewer}>
            <ChevronLeft className="size-3.5" aria-hidden /> Newer
          </Button>
          <Button size="sm" variant="secondary" disabled={!hasOlder || loading} onClick={onOlder}>
            Older <ChevronRight className="size-3.5" aria-hidden />
          </Button>
        </div>
      </div>
    </div>
  );
}
