"use client";
// The schedule: manual, every <interval>, or a cron expression (UTC), with the next five run times from the
// server's own schedule rules as you type, or why what is typed is not a schedule yet.
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { CalendarClock, Hand, Repeat } from "lucide-react";
import { useDebouncedValue } from "@/components/mapper/use-debounced-value";
import { useWorkspace } from "@/components/shell/workspace-context";
import { cn } from "@/lib/cn";
import { useTRPC } from "@/trpc/react";
import { formatFromNow, formatUtc } from "./schedule-times";
import { CRON_PRESETS, INTERVAL_PRESETS, type ScheduleDraft, type ScheduleKind, scheduleInputOf } from "./sync-draft";

const KINDS: { kind: ScheduleKind; label: string; icon: typeof Hand }[] = [
  { kind: "manual", label: "Manual", icon: Hand },
  { kind: "interval", label: "Every…", icon: Repeat },
  { kind: "cron", label: "Cron", icon: CalendarClock },
];

const INPUT =
  "block w-48 rounded-lg border-0 bg-white px-3 py-2 font-mono text-sm text-zinc-900 shadow-sm ring-1 ring-inset focus:ring-2 focus:outline-none disabled:bg-zinc-50 disabled:text-zinc-500";

/** The preview's answer for the schedule as typed; `ok: false` carries what to fix. */
export function useSchedulePreview(draft: ScheduleDraft) {
  const trpc = useTRPC();
  const ws = useWorkspace();
  const schedule = useDebouncedValue(scheduleInputOf(draft), 250);
  return useQuery({
    ...trpc.sync.previewSchedule.queryOptions({ workspace: ws.slug, schedule, count: 5 }),
    placeholderData: keepPreviousData,
  });
}

export function ScheduleEditor({
  draft,
  onChange,
  preview,
  readOnly,
}: {
  draft: ScheduleDraft;
  onChange: (draft: ScheduleDraft) => void;
  preview: ReturnType<typeof useSchedulePreview>;
  readOnly: boolean;
}) {
  const answer = preview.data;
  return (
    <div className="grid gap-5 lg:grid-cols-2">
      <div className="space-y-4">
        <fieldset aria-label="Schedule" className="inline-flex gap-1 rounded-lg bg-zinc-100 p-1">
          {KINDS.map(({ kind, label, icon: Icon }) => (
            <button
              key={kind}
              type="button"
              aria-pressed={draft.kind === kind}
              disabled={readOnly}
              onClick={() => onChange({ ...draft, kind })}
              className={cn(
                "inline-flex items-center gap-1.5 rounded-md px-3 py-1.5 text-sm font-medium transition-colors disabled:cursor-not-allowed",
                draft.kind === kind ? "bg-white text-zinc-900 shadow-xs" : "text-zinc-600 hover:text-zinc-900",
              )}
            >
              <Icon className="size-4" aria-hidden /> {label}
            </button>
          ))}
        </fieldset>
        {draft.kind === "interval" ? (
          <div className="space-y-2">
            <label className="block text-sm font-medium text-zinc-800" htmlFor="schedule-every">
              Run every
            </label>
            <input
              id="schedule-every"
              value={draft.every}
              onChange={(e) => onChange({ ...draft, every: e.target.value })}
              disabled={readOnly}
              spellCheck={false}
              placeholder="15m"
              aria-invalid={answer?.ok === false || undefined}
              className={cn(INPUT, answer?.ok === false ? "ring-red-400" : "ring-zinc-300 focus:ring-brand-500")}
            />
            <Presets
              items={INTERVAL_PRESETS.map((p) => ({ label: p, value: p }))}
              current={draft.every}
              onPick={(every) => onChange({ ...draft, every })}
              readOnly={readOnly}
            />
            <p className="text-xs text-zinc-500">A number and a unit: s, m, h or d (at least 1m).</p>
          </div>
        ) : draft.kind === "cron" ? (
          <div className="space-y-2">
            <label className="block text-sm font-medium text-zinc-800" htmlFor="schedule-cron">
              Cron expression (UTC)
            </label>
            <input
              id="schedule-cron"
              value={draft.cron}
              onChange={(e) => onChange({ ...draft, cron: e.target.value })}
              disabled={readOnly}
              spellCheck={false}
              placeholder="0 * * * *"
              aria-invalid={answer?.ok === false || undefined}
              className={cn(INPUT, "w-64", answer?.ok === false ? "ring-red-400" : "ring-zinc-300 focus:ring-brand-500")}
            />
            <Presets
              items={CRON_PRESETS.map((p) => ({ label: p.label, value: p.cron }))}
              current={draft.cron}
              onPick={(cron) => onChange({ ...draft, cron })}
              readOnly={readOnly}
            />
            <p className="text-xs text-zinc-500">minute hour day-of-month month day-of-week, e.g. 30 6 * * 1-5.</p>
          </div>
        ) : null}
      </div>

      <div className="rounded-lg bg-zinc-50 px-4 py-3 ring-1 ring-zinc-200 ring-inset" data-testid="schedule-preview">
        {!answer ? (
          <p className="text-sm text-zinc-500">Working out the next runs…</p>
        ) : answer.ok ? (
          <>
            <p className="text-sm text-zinc-700">{answer.description}</p>
            {answer.nextRuns.length > 0 ? (
              <>
                <p className="mt-3 text-xs font-medium tracking-wide text-zinc-500 uppercase">Next runs</p>
                <ol className={cn("mt-1.5 space-y-1", preview.isPlaceholderData && "opacity-60")} aria-label="Next runs">
                  {answer.nextRuns.map((iso) => (
                    <li key={iso} className="flex items-baseline justify-between gap-3 text-sm" data-testid="next-run">
                      <span className="font-mono text-xs text-zinc-800">{formatUtc(iso)}</span>
                      <span className="text-xs text-zinc-500">{formatFromNow(iso)}</span>
                    </li>
                  ))}
                </ol>
              </>
            ) : null}
          </>
        ) : (
          <p role="alert" className="text-sm text-red-700" data-testid="schedule-error">
            {answer.message}
          </p>
        )}
      </div>
    </div>
  );
}

function Presets({
  items,
  current,
  onPick,
  readOnly,
}: {
  items: { label: string; value: string }[];
  current: string;
  onPick: (value: string) => void;
  readOnly: boolean;
}) {
  return (
    <div className="flex flex-wrap gap-1.5">
      {items.map((p) => (
        <button
          key={p.value}
          type="button"
          disabled={readOnly}
          onClick={() => onPick(p.value)}
          aria-pressed={current.trim() === p.value}
          className={cn(
            "rounded-full px-2.5 py-0.5 text-xs ring-1 ring-inset disabled:cursor-not-allowed",
            current.trim() === p.value
              ? "bg-brand-50 text-brand-800 ring-brand-300"
              : "bg-white text-zinc-600 ring-zinc-300 hover:bg-zinc-50",
          )}
        >
          {p.label}
        </button>
      ))}
    </div>
  );
}

/** On/off for the schedule: off keeps the sync but starts no scheduled runs (Run now still works). */
export function EnabledSwitch({
  enabled,
  onChange,
  readOnly,
}: {
  enabled: boolean;
  onChange: (enabled: boolean) => void;
  readOnly: boolean;
}) {
  return (
    <div className="flex items-start gap-3">
      <button
        type="button"
        role="switch"
        aria-checked={enabled}
        aria-label="Enabled"
        disabled={readOnly}
        onClick={() => onChange(!enabled)}
        className={cn(
          "relative mt-0.5 inline-flex h-5 w-9 shrink-0 items-center rounded-full transition-colors disabled:cursor-not-allowed disabled:opacity-60",
          enabled ? "bg-brand-600" : "bg-zinc-300",
        )}
      >
        <span
          className={cn(
            "inline-block size-4 rounded-full bg-white shadow transition-transform",
            enabled ? "translate-x-4.5" : "translate-x-0.5",
          )}
        />
      </button>
      <div>
        <p className="text-sm font-medium text-zinc-900">{enabled ? "Enabled" : "Disabled"}</p>
        <p className="text-xs text-zinc-500">
          {enabled
            ? "The schedule starts runs. Turn it off to pause the schedule without deleting anything."
            : "The schedule starts no runs; Run now still works."}
        </p>
      </div>
    </div>
  );
}
