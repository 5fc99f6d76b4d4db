"use client";
// Pause / Resume / Cancel for the run on screen (editors and above), and Run now when none is under way.
// Control-plane changes (pausing a queued run, resuming) are not pushed by the worker, so each action asks
// the live view for a fresh snapshot when it returns, and once more shortly after.
import type { RunStatus } from "@sluice/contracts/run-view";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Pause, Play, Square } from "lucide-react";
import { useState } from "react";
import { useWorkspace } from "@/components/shell/workspace-context";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { FormAlert } from "@/components/ui/field";
import { useTRPC } from "@/trpc/react";

export type ControlRequest = { kind: "pause" | "cancel"; runId: string } | null;

/** The mutations, each refreshing the live snapshot and every run/sync query when it returns. */
export function useLiveControls(refresh: () => void) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const settled = () => {
    refresh();
    setTimeout(refresh, 1_500);
    return Promise.all([
      queryClient.invalidateQueries({ queryKey: trpc.run.pathKey() }),
      queryClient.invalidateQueries({ queryKey: trpc.sync.pathKey() }),
    ]);
  };
  return {
    run: useMutation(trpc.sync.run.mutationOptions({ onSettled: settled })),
    pause: useMutation(trpc.sync.pause.mutationOptions({ onSettled: settled })),
    resume: useMutation(trpc.sync.resume.mutationOptions({ onSettled: settled })),
    cancel: useMutation(trpc.sync.cancel.mutationOptions({ onSettled: settled })),
  };
}

export type LiveControls = ReturnType<typeof useLiveControls>;

export function RunControls({
  runId,
  status,
  controls,
  onRequested,
}: {
  runId: string;
  status: RunStatus;
  controls: LiveControls;
  onRequested: (request: ControlRequest) => void;
}) {
  const ws = useWorkspace();
  const [confirmCancel, setConfirmCancel] = useState(false);
  const { pause, resume, cancel } = controls;
  const pending = pause.isPending || resume.isPending || cancel.isPending;
  const error = pause.error ?? resume.error ?? (confirmCancel ? null : cancel.error);
  if (!ws.can("sync.run")) return null;
  const committing = status === "committing";
  return (
    <div className="flex flex-col items-end gap-2">
      <div className="flex items-center gap-2">
        {status === "paused" ? (
          <Button
            size="sm"
            loading={resume.isPending}
            disabled={pending}
            onClick={() => {
              onRequested(null);
              resume.mutate({ workspace: ws.slug, runId });
            }}
          >
            {resume.isPending ? null : <Play className="size-3.5" aria-hidden />} Resume
          </Button>
        ) : (
          <Button
            size="sm"
            variant="secondary"
            loading={pause.isPending}
            disabled={pending || committing}
            title={committing ? "The run is committing its results; it can no longer be paused." : undefined}
            onClick={() =>
              pause.mutate(
                { workspace: ws.slug, runId },
                { onSuccess: (run) => onRequested(run.status === "paused" ? null : { kind: "pause", runId }) },
              )
            }
          >
            {pause.isPending ? null : <Pause className="size-3.5" aria-hidden />} Pause
          </Button>
        )}
        <Button
          size="sm"
          variant="secondary"
          disabled={pending || committing}
          title={committing ? "The run is committing its results; it can no longer be cancelled." : undefined}
          onClick={() => {
            cancel.reset();
            setConfirmCancel(true);
          }}
        >
          <Square className="size-3.5" aria-hidden /> Cancel run
        </Button>
      </div>
      {error ? (
        <div className="max-w-sm">
          <FormAlert>{error.message}</FormAlert>
        </div>
      ) : null}
      <Dialog
        open={confirmCancel}
        onClose={() => setConfirmCancel(false)}
        title="Cancel this run?"
        description="The run stops at its next checkpoint and commits nothing: records it already delivered are sent again by the next run. This cannot be undone."
      >
        {cancel.error ? <FormAlert>{cancel.error.message}</FormAlert> : null}
        <div className="mt-4 flex justify-end gap-3">
          <Button variant="secondary" onClick={() => setConfirmCancel(false)}>
            Keep running
          </Button>
          <Button
            variant="danger"
            loading={cancel.isPending}
            onClick={() =>
              cancel.mutate(
                { workspace: ws.slug, runId },
                {
                  onSuccess: (run) => {
                    setConfirmCancel(false);
                    onRequested(run.status === "cancelled" ? null : { kind: "cancel", runId });
                  },
                },
              )
            }
          >
            Cancel run
          </Button>
        </div>
      </Dialog>
    </div>
  );
}
