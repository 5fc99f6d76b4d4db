"use client";
// A check's finding where it applies: red for what blocks saving, amber for what would reject some rows, and
// the one-click fix when a cast is the answer.
import type { MappingIssue } from "@sluice/contracts/mapper";
import type { Cast } from "@sluice/contracts/mapping";
import { AlertCircle, AlertTriangle, Wand2 } from "lucide-react";
import { cn } from "@/lib/cn";

const FIX_BUTTON =
  "ml-1.5 inline-flex items-center gap-1 rounded-md bg-white px-1.5 py-0.5 font-medium text-brand-700 ring-1 ring-brand-200 ring-inset hover:bg-brand-50";

export function IssueLine({
  issue,
  onApplyCast,
  action,
}: {
  issue: Pick<MappingIssue, "severity" | "message" | "fix" | "cast" | "code">;
  /** Given when the fix is a cast that can be applied here. */
  onApplyCast?: (cast: Cast) => void;
  /** Another one-click fix (e.g. map the suggested column), shown in place of the fix's words. */
  action?: { label: string; onClick: () => void };
}) {
  const error = issue.severity === "error";
  const Icon = error ? AlertCircle : AlertTriangle;
  const oneClick = Boolean((issue.cast && onApplyCast) || action);
  return (
    <li
      className={cn("flex items-start gap-2 text-xs", error ? "text-red-700" : "text-amber-800")}
      data-testid="mapping-issue"
      data-severity={issue.severity}
      data-code={issue.code}
    >
      <Icon className={cn("mt-px size-3.5 shrink-0", error ? "text-red-500" : "text-amber-500")} aria-hidden />
      <span className="min-w-0">
        {issue.message}
        {issue.fix && !oneClick ? <span className="text-zinc-600"> {issue.fix}</span> : null}
        {action && !(issue.cast && onApplyCast) ? (
          <button type="button" onClick={action.onClick} className={FIX_BUTTON}>
            <Wand2 className="size-3" aria-hidden /> {action.label}
          </button>
        ) : null}
        {issue.cast && onApplyCast ? (
          <button type="button" onClick={() => issue.cast && onApplyCast(issue.cast)} className={FIX_BUTTON}>
            <Wand2 className="size-3" aria-hidden /> Apply cast to {issue.cast}
          </button>
        ) : null}
      </span>
    </li>
  );
}

export function IssueList({
  issues,
  onApplyCast,
  className,
}: {
  issues: readonly MappingIssue[];
  onApplyCast?: (issue: MappingIssue, cast: Cast) => void;
  className?: string;
}) {
  if (issues.length === 0) return null;
  return (
    <ul className={cn("space-y-1", className)}>
      {issues.map((issue, i) => (
        <IssueLine
          // biome-ignore lint/suspicious/noArrayIndexKey: issues are recomputed on every edit; their order is stable
          key={`${issue.code}-${i}`}
          issue={issue}
          onApplyCast={onApplyCast && issue.index !== undefined ? (cast) => onApplyCast(issue, cast) : undefined}
        />
      ))}
    </ul>
  );
}
