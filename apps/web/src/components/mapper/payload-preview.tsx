"use client";
// What the mapping makes of the model's first rows, refreshed as the mapping changes: each row's payload
// (the record's `data`), or the reason a run would reject it.
import { CheckCircle2, Loader2, XCircle } from "lucide-react";
import { useState } from "react";
import { cn } from "@/lib/cn";
import { describeKey } from "./json-text";
import type { MappingPreview } from "./types";

export function PayloadPreview({
  preview,
  fetching,
  error,
  unavailable,
}: {
  preview: MappingPreview | undefined;
  fetching: boolean;
  error: string | null;
  /** Why there is no preview here (the role, nothing chosen yet); shown instead of it. */
  unavailable?: string;
}) {
  const [selected, setSelected] = useState(0);
  const samples = preview?.samples ?? [];
  const sample = samples[Math.min(selected, samples.length - 1)];
  return (
    <div className="rounded-lg ring-1 ring-zinc-200" data-testid="payload-preview">
      <div className="flex items-center justify-between gap-3 border-b border-zinc-100 bg-zinc-50 px-4 py-2">
        <p className="text-xs font-medium text-zinc-500">
          Payload preview <span className="font-normal text-zinc-400">— the first rows, mapped exactly as a run maps them</span>
        </p>
        {fetching ? (
          <span className="inline-flex items-center gap-1.5 text-xs text-zinc-500" role="status">
            <Loader2 className="size-3 animate-spin" aria-hidden /> Refreshing…
          </span>
        ) : preview ? (
          <span className="text-xs text-zinc-400 tabular-nums">{Math.round(preview.elapsedMs)} ms</span>
        ) : null}
      </div>
      {unavailable ? (
        <p className="px-4 py-6 text-sm text-zinc-500">{unavailable}</p>
      ) : error ? (
        <p role="alert" className="px-4 py-4 text-sm text-red-700">
          {error}
        </p>
      ) : !preview ? (
        <p className="flex items-center gap-2 px-4 py-6 text-sm text-zinc-500">
          <Loader2 className="size-4 animate-spin" aria-hidden /> Reading sample rows from the model…
        </p>
      ) : samples.length === 0 ? (
        <p className="px-4 py-6 text-sm text-zinc-500">The model returned no rows, so there is nothing to preview.</p>
      ) : (
        <div className={cn("grid sm:grid-cols-[13rem_minmax(0,1fr)]", fetching && "opacity-70")}>
          <ul className="border-zinc-100 p-2 sm:border-r" aria-label="Sample rows">
            {samples.map((s, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: samples are the model's first rows, in query order
              <li key={i}>
                <button
                  type="button"
                  onClick={() => setSelected(i)}
                  aria-pressed={sample === s}
                  data-testid="sample-row"
                  data-ok={s.payload.ok}
                  className={cn(
                    "flex w-full items-center gap-2 rounded-md px-2 py-1.5 text-left text-xs",
                    sample === s ? "bg-brand-50 text-brand-900" : "text-zinc-600 hover:bg-zinc-50",
                  )}
                >
                  {s.payload.ok ? (
                    <CheckCircle2 className="size-3.5 shrink-0 text-emerald-600" aria-label="would be sent" />
                  ) : (
                    <XCircle className="size-3.5 shrink-0 text-red-600" aria-label="would be rejected" />
                  )}
                  <span className="truncate font-mono">{s.key ? describeKey(s.key) : `Row ${i + 1}`}</span>
                </button>
              </li>
            ))}
          </ul>
          <div className="min-w-0 p-3">
            {sample ? (
              sample.payload.ok ? (
                <pre
                  className="max-h-80 overflow-auto rounded-md bg-zinc-950 px-3 py-2.5 font-mono text-xs leading-5 text-zinc-100"
                  data-testid="payload-json"
                >
                  {JSON.stringify(sample.payload.data, null, 2)}
                </pre>
              ) : (
                <p
                  role="alert"
                  data-testid="payload-rejected"
                  className="rounded-md bg-red-50 px-3 py-2.5 text-sm text-red-800 ring-1 ring-red-200 ring-inset"
                >
                  <span className="font-medium">This row would be rejected:</span> {sample.payload.reason}
                </p>
              )
            ) : null}
            {sample ? (
              <details className="mt-2 text-xs text-zinc-500">
                <summary className="cursor-pointer select-none">The model's row</summary>
                <pre className="mt-1 max-h-60 overflow-auto rounded-md bg-zinc-50 px-3 py-2 font-mono text-zinc-700 ring-1 ring-zinc-200 ring-inset">
                  {JSON.stringify(sample.row, null, 2)}
                </pre>
              </details>
            ) : null}
          </div>
        </div>
      )}
    </div>
  );
}
