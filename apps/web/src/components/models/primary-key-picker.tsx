"use client";
// The primary key: one chip per column of the latest preview (picked ones first-in-order and numbered, so a
// composite key reads as it will be used), and the warehouse's verdict on it.
import { AlertTriangle, CheckCircle2, KeyRound } from "lucide-react";
import { cn } from "@/lib/cn";
import type { KeyCheck } from "./types";

export function PrimaryKeyChips({
  columns,
  value,
  onToggle,
  disabled,
}: {
  columns: readonly { name: string; type?: string }[];
  value: readonly string[];
  onToggle: (column: string) => void;
  disabled?: boolean;
}) {
  return (
    <ul className="flex flex-wrap gap-2" aria-label="Primary key columns" data-testid="key-chips">
      {columns.map((c) => {
        const position = value.indexOf(c.name);
        const on = position >= 0;
        return (
          <li key={c.name}>
            <button
              type="button"
              onClick={() => onToggle(c.name)}
              disabled={disabled}
              aria-pressed={on}
              title={c.type}
              className={cn(
                "inline-flex items-center gap-1.5 rounded-full px-3 py-1 font-mono text-xs ring-1 ring-inset transition-colors disabled:cursor-not-allowed",
                on
                  ? "bg-brand-600 text-white ring-brand-600 hover:bg-brand-700"
                  : "bg-white text-zinc-700 ring-zinc-300 hover:bg-zinc-50 disabled:text-zinc-400",
              )}
            >
              {on ? (
                value.length > 1 ? (
                  <span className="flex size-4 items-center justify-center rounded-full bg-white/25 text-[10px] font-semibold">
                    {position + 1}
                  </span>
                ) : (
                  <KeyRound className="size-3" aria-hidden />
                )
              ) : null}
              {c.name}
            </button>
          </li>
        );
      })}
    </ul>
  );
}

export function KeyCheckResult({ check, stale }: { check: KeyCheck; stale: boolean }) {
  const Icon = check.ok ? CheckCircle2 : AlertTriangle;
  return (
    <div
      role="status"
      data-testid="key-check"
      data-ok={check.ok}
      className={cn(
        "flex items-start gap-3 rounded-lg px-4 py-3 text-sm ring-1 ring-inset",
        check.ok ? "bg-emerald-50 text-emerald-900 ring-emerald-200" : "bg-amber-50 text-amber-900 ring-amber-200",
        stale && "opacity-60",
      )}
    >
      <Icon className={cn("mt-0.5 size-4 shrink-0", check.ok ? "text-emerald-600" : "text-amber-600")} aria-hidden />
      <div className="min-w-0">
        <p className="font-medium">{check.ok ? "This key identifies every row." : "This key would make rows be rejected."}</p>
        <p className="mt-0.5">{check.message}</p>
        {!check.ok ? (
          <dl className="mt-2 flex flex-wrap gap-x-5 gap-y-1 text-xs text-amber-800 tabular-nums">
            <div className="flex gap-1">
              <dt>Rows</dt>
              <dd className="font-semibold">{check.rows.toLocaleString()}</dd>
            </div>
            <div className="flex gap-1">
              <dt>Shared key values</dt>
              <dd className="font-semibold">{check.duplicateKeys.toLocaleString()}</dd>
            </div>
            <div className="flex gap-1">
              <dt>Null keys</dt>
              <dd className="font-semibold">{check.nullKeys.toLocaleString()}</dd>
            </div>
            <div className="flex gap-1">
              <dt>Would be rejected</dt>
              <dd className="font-semibold">{check.rejectedRows.toLocaleString()}</dd>
            </div>
          </dl>
        ) : null}
        {stale ? <p className="mt-1 text-xs">The SQL or the key changed since this check: check again.</p> : null}
      </div>
    </div>
  );
}
