"use client";
// The live connection at a glance (a dot and a word), and, when it is not well, what went wrong and what to do.
import { AlertTriangle, RefreshCw, WifiOff } from "lucide-react";
import { Button } from "@/components/ui/button";
import { cn } from "@/lib/cn";
import type { LiveConnection } from "@/lib/live/live-run-store";
import { describeLiveProblem } from "./live-problem";

const CONNECTION: Record<LiveConnection, { label: string; dot: string }> = {
  idle: { label: "Not connected", dot: "bg-zinc-300" },
  connecting: { label: "Connecting…", dot: "bg-zinc-400 animate-pulse" },
  connected: { label: "Live", dot: "bg-emerald-500" },
  reconnecting: { label: "Reconnecting…", dot: "bg-amber-500 animate-pulse" },
  error: { label: "Disconnected", dot: "bg-red-500" },
  closed: { label: "Closed", dot: "bg-zinc-300" },
};

export function ConnectionBadge({ connection }: { connection: LiveConnection }) {
  const c = CONNECTION[connection];
  return (
    <span
      className="inline-flex items-center gap-2 rounded-full bg-white px-2.5 py-1 text-xs font-medium text-zinc-700 shadow-xs ring-1 ring-zinc-200"
      data-testid="live-connection"
      data-connection={connection}
    >
      <span className={cn("size-2 rounded-full", c.dot)} aria-hidden />
      {c.label}
    </span>
  );
}

export function ConnectionProblem({
  connection,
  error,
  onReconnect,
}: {
  connection: LiveConnection;
  error: string | null;
  onReconnect: () => void;
}) {
  const problem = describeLiveProblem(connection, error);
  if (!problem) return null;
  const Icon = problem.tone === "error" ? WifiOff : AlertTriangle;
  return (
    <div
      role="alert"
      data-testid="live-problem"
      className={cn(
        "flex flex-wrap items-start gap-3 rounded-xl px-4 py-3.5 text-sm ring-1 ring-inset",
        problem.tone === "error" ? "bg-red-50 text-red-800 ring-red-200" : "bg-amber-50 text-amber-900 ring-amber-200",
      )}
    >
      <Icon className="mt-0.5 size-4 shrink-0" aria-hidden />
      <div className="min-w-0 flex-1">
        <p className="font-medium">{problem.title}</p>
        <p className="mt-0.5 opacity-90">{problem.fix}</p>
        {problem.reason ? <p className="mt-1 font-mono text-xs opacity-70">{problem.reason}</p> : null}
      </div>
      {problem.reconnect ? (
        <Button size="sm" variant="secondary" onClick={onReconnect}>
          <RefreshCw className="size-3.5" aria-hidden /> Reconnect
        </Button>
      ) : null}
    </div>
  );
}
