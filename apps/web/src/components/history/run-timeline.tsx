"use client";
// A run's states over time: a bar whose segments are the states it went through (sized by time, the current
// one highlighted), then every step with when it began, how long it lasted and why.
import type { RunStatus } from "@sluice/contracts/run-view";
import { CheckCircle2, CircleSlash, XCircle } from "lucide-react";
import { formatDuration } from "@/components/workspace/sync-runs";
import { cn } from "@/lib/cn";
import { formatTime, STATUS_FILL, STATUS_LABEL } from "./run-format";
import { layoutTimeline } from "./timeline-layout";

export interface RunTimelineStep {
  status: RunStatus;
  from: RunStatus | null;
  enteredAt: string;
  leftAt: string | null;
  durationMs: number | null;
  current: boolean;
  detail: string | null;
}

const FINAL_ICON = { succeeded: CheckCircle2, failed: XCircle, cancelled: CircleSlash } as const;
/** Segments narrower than this (percent) carry no label inside. */
const LABEL_MIN_PCT = 12;

export function RunTimeline({ steps }: { steps: RunTimelineStep[] }) {
  const layout = layoutTimeline(steps);
  const final = layout.final;
  const FinalIcon = final && final.status in FINAL_ICON ? FINAL_ICON[final.status as keyof typeof FINAL_ICON] : null;
  if (steps.length === 0) return <p className="px-5 py-6 text-sm text-zinc-500">No state changes recorded yet.</p>;
  return (
    <div className="px-5 py-5" data-testid="run-timeline">
      <div className="flex items-center gap-3">
        <div className="flex h-9 min-w-0 flex-1 overflow-hidden rounded-lg bg-zinc-100 ring-1 ring-inset ring-zinc-200">
          {layout.segments.map((s) => (
            <div
              key={s.step}
              style={{ width: `${s.widthPct}%` }}
              title={`${STATUS_LABEL[s.status]} · ${formatDuration(s.durationMs)}${s.current ? " (now)" : ""}`}
              data-testid="timeline-segment"
              data-status={s.status}
              data-current={s.current || undefined}
              className={cn(
                "relative flex h-full items-center justify-center overflow-hidden border-r border-white/70 text-[11px] font-medium last:border-r-0",
                STATUS_FILL[s.status],
                s.status === "queued" || s.status === "paused" || s.status === "planning" ? "text-zinc-800" : "text-white",
                s.current && "ring-2 ring-inset ring-brand-900/50",
              )}
            >
              {s.current ? <span className="absolute inset-0 animate-pulse bg-white/25" aria-hidden /> : null}
              {s.widthPct >= LABEL_MIN_PCT ? (
                <span className="relative truncate px-1.5">
                  {STATUS_LABEL[s.status]} · {formatDuration(s.durationMs)}
                </span>
              ) : null}
            </div>
          ))}
        </div>
        {final ? (
          <span
            className={cn(
              "inline-flex shrink-0 items-center gap-1 text-sm font-medium",
              final.status === "succeeded" ? "text-emerald-700" : final.status === "failed" ? "text-red-700" : "text-zinc-600",
            )}
          >
            {FinalIcon ? <FinalIcon className="size-4" aria-hidden /> : null}
            {STATUS_LABEL[final.status]}
          </span>
        ) : null}
      </div>
      <p className="mt-2 text-xs text-zinc-400">
        {formatDuration(layout.totalMs)} from queued to {final ? STATUS_LABEL[final.status].toLowerCase() : "now"}; very short
        states are drawn wider than their share so they stay visible.
      </p>

      <ol className="mt-5 space-y-0" aria-label="Run states">
        {steps.map((step, i) => (
          <li
            // Steps are ordered and never reordered; states can repeat, so the index keeps keys unique.
            // biome-ignore lint/suspicious/noArrayIndexKey: a run's timeline is append-only
            key={i}
            className="relative flex gap-3 pb-4 last:pb-0"
            data-testid="timeline-step"
            data-current={step.current || undefined}
          >
            {i < steps.length - 1 ? <span className="absolute top-3.5 bottom-0 left-[5px] w-px bg-zinc-200" aria-hidden /> : null}
            <span
              className={cn(
                "relative mt-1 size-[11px] shrink-0 rounded-full ring-2 ring-white",
                STATUS_FILL[step.status],
                step.current && "outline-2 outline-offset-2 outline-brand-400",
              )}
              aria-hidden
            />
            <div className="min-w-0 flex-1">
              <div className="flex flex-wrap items-baseline gap-x-3 gap-y-0.5">
                <span className={cn("text-sm font-medium", step.current ? "text-brand-700" : "text-zinc-900")}>
                  {STATUS_LABEL[step.status]}
                </span>
                {step.current ? (
                  <span className="rounded bg-brand-50 px-1.5 py-0.5 text-[11px] font-medium text-brand-700 ring-1 ring-inset ring-brand-200">
                    Current
                  </span>
                ) : null}
                <span className="text-xs text-zinc-500 tabular-nums">{formatTime(step.enteredAt)}</span>
                <span className="text-xs text-zinc-500 tabular-nums">
                  {step.durationMs === null ? "final" : `${formatDuration(step.durationMs)}${step.current ? " so far" : ""}`}
                </span>
              </div>
              {step.detail ? <p className="mt-0.5 text-xs text-zinc-500">{step.detail}</p> : null}
            </div>
          </li>
        ))}
      </ol>
    </div>
  );
}
