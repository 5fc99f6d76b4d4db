"use client";
// The sampled records of the run as they are sent: key, outcome, latency, and (opened) the payload and the
// destination's answer. Filter by outcome; freeze the list to read it while the counters keep moving.
import type { LiveRunEvent } from "@sluice/contracts/live";
import { ChevronDown, ChevronRight, Pause, Play, Radio } from "lucide-react";
import { useState } from "react";
import { JsonBlock } from "@/components/history/json-block";
import { formatTime } from "@/components/history/run-format";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { CardHeader } from "@/components/ui/card";
import { cn } from "@/lib/cn";
import { countByOutcome, keyText, type Outcome, type OutcomeFilter, visibleEvents } from "./event-filter";

const SHOWN = 200;
const OUTCOME_TONE: Record<Outcome, BadgeTone> = { delivered: "green", rejected: "amber", failed: "red" };
const FILTERS: [OutcomeFilter, string][] = [
  ["all", "All"],
  ["delivered", "Delivered"],
  ["rejected", "Rejected"],
  ["failed", "Failed"],
];

export function EventStream({
  events,
  frozen,
  heldEvents,
  droppedEvents,
  running,
  onFreeze,
}: {
  events: LiveRunEvent[];
  frozen: boolean;
  heldEvents: number;
  droppedEvents: number;
  running: boolean;
  onFreeze: (frozen: boolean) => void;
}) {
  const [filter, setFilter] = useState<OutcomeFilter>("all");
  const [open, setOpen] = useState<Set<string>>(() => new Set());
  const counts = countByOutcome(events);
  const shown = visibleEvents(events, filter, SHOWN);
  const toggle = (id: string) =>
    setOpen((o) => {
      const next = new Set(o);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  return (
    <div data-testid="live-events">
      <CardHeader
        title="Records as they are sent"
        description="A sample of every batch: the record's key, what was sent, what the destination answered, and how long it took."
        actions={
          <Button
            size="sm"
            variant={frozen ? "primary" : "secondary"}
            onClick={() => onFreeze(!frozen)}
            aria-pressed={frozen}
            data-testid="freeze-button"
          >
            {frozen ? <Play className="size-3.5" aria-hidden /> : <Pause className="size-3.5" aria-hidden />}
            {frozen ? "Resume stream" : "Freeze"}
          </Button>
        }
      />
      <div className="flex flex-wrap items-center justify-between gap-3 px-5 py-3">
        <fieldset className="inline-flex rounded-lg bg-zinc-100 p-0.5 text-xs font-medium">
          <legend className="sr-only">Outcome</legend>
          {FILTERS.map(([value, label]) => (
            <button
              key={value}
              type="button"
              aria-pressed={filter === value}
              onClick={() => setFilter(value)}
              className={cn(
                "rounded-md px-2.5 py-1 transition-colors",
                filter === value ? "bg-white text-zinc-900 shadow-xs ring-1 ring-zinc-200" : "text-zinc-500 hover:text-zinc-800",
              )}
            >
              {label}
              <span className="ml-1 text-zinc-400 tabular-nums">{counts[value].toLocaleString()}</span>
            </button>
          ))}
        </fieldset>
        <p className="text-xs text-zinc-500">
          {frozen ? (
            <span className="font-medium text-amber-700" data-testid="held-events">
              Frozen · {heldEvents.toLocaleString()} new event{heldEvents === 1 ? "" : "s"} held
            </span>
          ) : running ? (
            <span className="inline-flex items-center gap-1.5">
              <Radio className="size-3.5 text-emerald-600" aria-hidden /> Streaming
            </span>
          ) : null}
          {droppedEvents > 0 ? (
            <span className="ml-2 text-zinc-400">
              {droppedEvents.toLocaleString()} more not sampled (the stream keeps to 50 events a second)
            </span>
          ) : null}
        </p>
      </div>
      {frozen ? (
        <div className="mx-5 mb-3 rounded-lg bg-amber-50 px-3 py-2 text-xs text-amber-900 ring-1 ring-inset ring-amber-200">
          The list holds still so you can read it; the counters above keep moving. Resume the stream to add the held events.
        </div>
      ) : null}
      {shown.length === 0 ? (
        <p className="border-t border-zinc-100 px-5 py-10 text-center text-sm text-zinc-500">
          {events.length > 0
            ? `No ${filter} records among the last ${events.length.toLocaleString()} sampled.`
            : running
              ? "No records sent yet. They appear here as soon as the first batch reaches the destination."
              : "No sampled records for this run on this worker. Start a run to watch records as they are sent."}
        </p>
      ) : (
        <div className="max-h-[34rem] overflow-auto border-t border-zinc-100" data-testid="live-events-list">
          <table className="min-w-full text-sm">
            <thead className="sticky top-0 z-10 bg-zinc-50 text-left text-xs font-medium tracking-wide text-zinc-500 uppercase shadow-[inset_0_-1px_0_var(--color-zinc-200)]">
              <tr>
                <th scope="col" className="w-8 py-2 pl-5" />
                <th scope="col" className="px-3 py-2">
                  Time
                </th>
                <th scope="col" className="px-3 py-2">
                  Key
                </th>
                <th scope="col" className="px-3 py-2">
                  Outcome
                </th>
                <th scope="col" className="px-3 py-2 text-right">
                  Latency
                </th>
                <th scope="col" className="px-3 py-2 pr-5">
                  Answer
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-100">
              {shown.map((event) => {
                const isOpen = open.has(event.id);
                return <EventRow key={event.id} event={event} open={isOpen} onToggle={() => toggle(event.id)} />;
              })}
            </tbody>
          </table>
          {events.length > SHOWN ? (
            <p className="border-t border-zinc-100 px-5 py-2.5 text-xs text-zinc-400">
              Showing the newest {SHOWN} of {events.length.toLocaleString()} kept.
            </p>
          ) : null}
        </div>
      )}
    </div>
  );
}

function EventRow({ event, open, onToggle }: { event: LiveRunEvent; open: boolean; onToggle: () => void }) {
  return (
    <>
      <tr
        className={cn("cursor-pointer hover:bg-zinc-50", open && "bg-zinc-50")}
        onClick={onToggle}
        data-testid="live-event"
        data-outcome={event.outcome}
      >
        <td className="py-2 pl-5 align-middle">
          <button
            type="button"
            aria-expanded={open}
            aria-label={open ? "Hide details" : "Show details"}
            className="flex items-center text-zinc-400"
          >
            {open ? <ChevronDown className="size-4" aria-hidden /> : <ChevronRight className="size-4" aria-hidden />}
          </button>
        </td>
        <td className="px-3 py-2 whitespace-nowrap text-xs text-zinc-500 tabular-nums">{formatTime(event.at)}</td>
        <td className="max-w-56 truncate px-3 py-2 font-mono text-xs text-zinc-900">{keyText(event.key)}</td>
        <td className="px-3 py-2">
          <Badge tone={OUTCOME_TONE[event.outcome]} className="capitalize">
            {event.outcome}
          </Badge>
        </td>
        <td className="px-3 py-2 text-right text-xs whitespace-nowrap text-zinc-600 tabular-nums">
          {Math.round(event.latencyMs).toLocaleString()} ms
        </td>
        <td className="max-w-72 truncate px-3 py-2 pr-5 font-mono text-xs text-zinc-500">{answerSummary(event.response)}</td>
      </tr>
      {open ? (
        <tr className="bg-zinc-50">
          <td colSpan={6} className="px-5 pt-1 pb-4">
            <div className="grid gap-3 lg:grid-cols-2">
              <JsonBlock label="Payload sent" value={event.payload} />
              <JsonBlock label="Destination response" value={event.response} />
            </div>
          </td>
        </tr>
      ) : null}
    </>
  );
}

/** One line of the destination's answer: its HTTP status and reason when it has them. */
function answerSummary(response: unknown): string {
  if (!response || typeof response !== "object") return response === undefined ? "—" : String(response);
  const r = response as Record<string, unknown>;
  const parts: string[] = [];
  if (typeof r.httpStatus === "number") parts.push(`HTTP ${r.httpStatus}`);
  if (typeof r.status === "string") parts.push(r.status);
  if (typeof r.reason === "string") parts.push(r.reason);
  return parts.length > 0 ? parts.join(" · ") : JSON.stringify(response);
}
