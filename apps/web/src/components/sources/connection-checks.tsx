"use client";
// The connection check as a checklist: each step passed or failed with the fix, a spinner while it runs.
// Steps run in order and stop at the first failure (later ones depend on it), so the list ends there.
import type { ConnectionCheck } from "@sluice/contracts/connections";
import { CircleCheck, CircleX, Loader2 } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import { cn } from "@/lib/cn";
import { CopyButton } from "./copy-button";

// Statements a failure message asks the user to run, shown as copyable code.
const FIX_SQL = /\b((?:GRANT [A-Z]|CREATE (?:SCHEMA|ROLE) "|ALTER ROLE "|ALTER DEFAULT PRIVILEGES )[^;]*;)/g;

export function ConnectionChecks({
  check,
  pending,
  stale,
  idle,
}: {
  check: ConnectionCheck | undefined;
  pending: boolean;
  /** The settings changed since `check` ran. */
  stale?: boolean;
  /** What to say before the first run. */
  idle: string;
}) {
  const failed = check?.steps.find((s) => !s.ok);
  return (
    <section aria-label="Connection checks" data-testid="connection-checks" aria-busy={pending}>
      <div className="flex items-center justify-between gap-3">
        <h3 className="text-sm font-semibold text-zinc-900">Checks</h3>
        {pending ? (
          <Badge tone="brand">Running…</Badge>
        ) : check && !stale ? (
          check.ok ? (
            <Badge tone="green">All passed</Badge>
          ) : (
            <Badge tone="red">Failed</Badge>
          )
        ) : stale ? (
          <Badge tone="amber">Settings changed — run again</Badge>
        ) : null}
      </div>
      {pending ? (
        <ol className="mt-3 space-y-2">
          {(check?.steps ?? [{ name: "Running the checks", ok: true, message: "" }]).map((s) => (
            <li
              key={s.name}
              className="flex items-center gap-2.5 rounded-lg bg-zinc-50 px-3 py-2.5 text-sm text-zinc-600"
              data-testid="check-step"
              data-status="running"
            >
              <Loader2 className="size-4 shrink-0 animate-spin text-brand-600" aria-hidden />
              {s.name}…
            </li>
          ))}
        </ol>
      ) : check ? (
        <ol className={cn("mt-3 space-y-2", stale && "opacity-60")}>
          {check.steps.map((s) => (
            <li
              key={s.name}
              data-testid="check-step"
              data-status={s.ok ? "passed" : "failed"}
              className={cn(
                "rounded-lg px-3 py-2.5 ring-1 ring-inset",
                s.ok ? "bg-white ring-zinc-200" : "bg-red-50 ring-red-200",
              )}
            >
              <div className="flex items-start gap-2.5">
                {s.ok ? (
                  <CircleCheck className="mt-0.5 size-4 shrink-0 text-emerald-600" aria-label="passed" />
                ) : (
                  <CircleX className="mt-0.5 size-4 shrink-0 text-red-600" aria-label="failed" />
                )}
                <div className="min-w-0 flex-1">
                  <p className={cn("text-sm font-medium", s.ok ? "text-zinc-900" : "text-red-800")}>{s.name}</p>
                  <p className={cn("mt-0.5 text-sm break-words", s.ok ? "text-zinc-500" : "text-red-700")}>{s.message}</p>
                  {s.ok ? null : <FixStatements message={s.message} />}
                </div>
              </div>
            </li>
          ))}
          {failed ? <li className="px-3 text-xs text-zinc-500">The remaining checks run once this one passes.</li> : null}
        </ol>
      ) : (
        <p className="mt-3 rounded-lg bg-zinc-50 px-3 py-3 text-sm text-zinc-500">{idle}</p>
      )}
    </section>
  );
}

function FixStatements({ message }: { message: string }) {
  // A statement with a "…" placeholder (a password to choose) must be edited first, so it is not offered for copying.
  const statements = [...new Set([...message.matchAll(FIX_SQL)].map((m) => m[1] ?? ""))].filter(
    (sql) => sql && !sql.includes("…"),
  );
  if (statements.length === 0) return null;
  // One block per statement: a message may offer alternatives, which must not be copied as one script.
  return (
    <ul className="mt-2 space-y-1.5">
      {statements.map((sql) => (
        <li key={sql} className="flex items-start gap-2">
          <pre className="min-w-0 flex-1 rounded-md bg-zinc-900 px-3 py-1.5 font-mono text-xs leading-5 wrap-break-word whitespace-pre-wrap text-zinc-100">
            {sql}
          </pre>
          <CopyButton text={sql} label="Copy" />
        </li>
      ))}
    </ul>
  );
}
