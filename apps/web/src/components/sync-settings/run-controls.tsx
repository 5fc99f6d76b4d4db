"use client";
// A saved sync's run buttons on its settings page: Run now, and Full resync after a warning that says how
// many records it would send (counted in the warehouse), with the latest run's state alongside.
import { useMutation } from "@tanstack/react-query";
import { Play, RefreshCcw } from "lucide-react";
import Link from "next/link";
import { useState } from "react";
import { WorkingBar } from "@/components/models/working-bar";
import { useWorkspace } from "@/components/shell/workspace-context";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Dialog } from "@/components/ui/dialog";
import { FormAlert } from "@/components/ui/field";
import { isActive, outcomeSummary, RunStatusBadge, useRunActions, useSyncList } from "@/components/workspace/sync-runs";
import { timeAgo } from "@/lib/format";
import { useTRPC } from "@/trpc/react";

export function RunControls({
  syncId,
  destinationName,
  unsaved,
}: {
  syncId: string;
  destinationName: string;
  /** The form has changes: a run would use the saved settings, not these. */
  unsaved: boolean;
}) {
  const trpc = useTRPC();
  const ws = useWorkspace();
  const syncs = useSyncList();
  const actions = useRunActions();
  const estimate = useMutation(trpc.sync.estimateFullResync.mutationOptions());
  const [confirm, setConfirm] = useState(false);
  const [started, setStarted] = useState<{ created: boolean } | null>(null);
  const latest = syncs.data?.find((s) => s.id === syncId)?.latestRun ?? null;
  const running = isActive(latest);
  const canRun = ws.can("sync.run");

  const run = (fullResync: boolean) =>
    actions.run.mutate(
      { workspace: ws.slug, syncId, fullResync },
      {
        onSuccess: (result) => {
          setStarted({ created: result.created });
          setConfirm(false);
        },
      },
    );
  const openResync = () => {
    setConfirm(true);
    estimate.mutate({ workspace: ws.slug, syncId });
  };

  return (
    <Card className="mb-5 flex flex-wrap items-center justify-between gap-4 px-5 py-4" data-testid="run-controls">
      <div className="min-w-0 text-sm" data-testid="settings-latest-run">
        {latest ? (
          <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
            <span className="text-zinc-500">Latest run</span>
            <RunStatusBadge status={latest.status} />
            <span className="text-zinc-700 tabular-nums">{outcomeSummary(latest)}</span>
            <span className="text-zinc-400">{timeAgo(latest.startedAt ?? latest.createdAt)}</span>
            <Link href={`/w/${ws.slug}/syncs/${syncId}/runs`} className="text-xs font-medium text-brand-700 hover:text-brand-800">
              See runs
            </Link>
          </div>
        ) : (
          <p className="text-zinc-500">Never run. The first run sends every row of the model.</p>
        )}
        {started && !started.created ? (
          <p className="mt-1 text-xs text-amber-700">
            A run was already under way; it is shown here instead of starting another.
          </p>
        ) : null}
        {unsaved && canRun ? (
          <p className="mt-1 text-xs text-amber-700">Save your changes first: a run uses the saved settings.</p>
        ) : null}
      </div>
      {canRun ? (
        <div className="flex items-center gap-2">
          <Button variant="secondary" onClick={openResync} disabled={running || unsaved || actions.run.isPending}>
            <RefreshCcw className="size-4" aria-hidden /> Full resync
          </Button>
          <Button onClick={() => run(false)} loading={actions.run.isPending && !confirm} disabled={running || unsaved}>
            {actions.run.isPending && !confirm ? null : <Play className="size-4" aria-hidden />} Run now
          </Button>
        </div>
      ) : (
        <p className="text-xs text-zinc-400">Your role can see runs but not start them.</p>
      )}
      {actions.run.error && !confirm ? (
        <div className="w-full">
          <FormAlert>{actions.run.error.message}</FormAlert>
        </div>
      ) : null}

      <Dialog
        open={confirm}
        onClose={() => setConfirm(false)}
        title="Run a full resync?"
        description="A full resync sends every row of the model again, not only what changed since the last run."
      >
        <div data-testid="resync-estimate">
          {estimate.isPending ? (
            <WorkingBar label="Counting the model's rows in the warehouse" />
          ) : estimate.error ? (
            <FormAlert>{estimate.error.message}</FormAlert>
          ) : estimate.data ? (
            <div className="rounded-lg bg-amber-50 px-4 py-3 text-sm text-amber-900 ring-1 ring-amber-200 ring-inset">
              <p className="font-medium">
                This will send {estimate.data.exact ? "about" : "at most"} {estimate.data.rowsToSend.toLocaleString()} record
                {estimate.data.rowsToSend === 1 ? "" : "s"} to {destinationName}.
              </p>
              <p className="mt-1">{estimate.data.message}</p>
              {estimate.data.lastRun ? (
                <p className="mt-1 text-xs text-amber-800">
                  The last run planned {estimate.data.lastRun.planned.toLocaleString()} record
                  {estimate.data.lastRun.planned === 1 ? "" : "s"}.
                </p>
              ) : null}
            </div>
          ) : null}
        </div>
        {actions.run.error ? (
          <div className="mt-3">
            <FormAlert>{actions.run.error.message}</FormAlert>
          </div>
        ) : null}
        <div className="mt-5 flex justify-end gap-3">
          <Button variant="secondary" onClick={() => setConfirm(false)}>
            Cancel
          </Button>
          <Button loading={actions.run.isPending} disabled={estimate.isPending} onClick={() => run(true)}>
            {estimate.data ? `Resync ${estimate.data.rowsToSend.toLocaleString()} records` : "Resync everything"}
          </Button>
        </div>
      </Dialog>
    </Card>
  );
}
