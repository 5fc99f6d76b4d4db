"use client";
// The model preview: the first rows under their column names and warehouse types, nulls and JSON set apart
// from text, the primary key columns marked; scrolls both ways inside the card.
import { valueKind } from "@sluice/contracts/mapper";
import { KeyRound } from "lucide-react";
import { cn } from "@/lib/cn";
import { type CellKind, formatCell, formatElapsed } from "./model-draft";
import type { ModelPreview } from "./types";

const CELL_STYLE: Record<CellKind, string> = {
  null: "text-zinc-400 italic",
  number: "text-right tabular-nums text-zinc-900",
  boolean: "text-brand-700",
  json: "font-mono text-xs text-zinc-600",
  text: "text-zinc-800",
};

export function PreviewTable({ preview, primaryKey }: { preview: ModelPreview; primaryKey: readonly string[] }) {
  const { columns, rows } = preview;
  // bigint and numeric arrive as text (to keep their precision); they still line up as numbers.
  const numeric = new Set(
    columns.filter((c) => ["integer", "bigint", "decimal", "float"].includes(valueKind(c.type))).map((c) => c.name),
  );
  return (
    <div data-testid="model-preview">
      <p className="mb-2 text-xs text-zinc-500" data-testid="preview-summary">
        {rows.length === 0
          ? "The query returned no rows"
          : `${rows.length.toLocaleString()} row${rows.length === 1 ? "" : "s"}${preview.truncated ? " shown (the model has more)" : ""}`}{" "}
        · {columns.length} column{columns.length === 1 ? "" : "s"} · {formatElapsed(preview.elapsedMs)}
      </p>
      <div className="max-h-[440px] overflow-auto rounded-lg ring-1 ring-zinc-200">
        <table className="min-w-full border-separate border-spacing-0 text-sm">
          <thead>
            <tr>
              {columns.map((c) => {
                const key = primaryKey.includes(c.name);
                return (
                  <th
                    key={c.name}
                    scope="col"
                    className={cn(
                      "sticky top-0 z-10 border-b border-zinc-200 bg-zinc-50 px-3 py-2 align-bottom whitespace-nowrap",
                      numeric.has(c.name) ? "text-right" : "text-left",
                    )}
                  >
                    <span
                      className={cn(
                        "flex items-center gap-1 font-mono text-xs font-semibold text-zinc-800",
                        numeric.has(c.name) && "justify-end",
                      )}
                    >
                      {key ? <KeyRound className="size-3 text-brand-600" aria-label="primary key" /> : null}
                      {c.name}
                    </span>
                    <span className="block text-[11px] font-normal text-zinc-400">{c.type}</span>
                  </th>
                );
              })}
            </tr>
          </thead>
          <tbody>
            {rows.map((row, i) => (
              // Preview rows have no identity of their own; their order is the query's.
              // biome-ignore lint/suspicious/noArrayIndexKey: rows are positional
              <tr key={i} className="even:bg-zinc-50/60">
                {columns.map((c) => {
                  const cell = formatCell(row[c.name]);
                  return (
                    <td
                      key={c.name}
                      className={cn(
                        "max-w-72 truncate border-b border-zinc-100 px-3 py-1.5 whitespace-nowrap",
                        CELL_STYLE[cell.kind],
                        numeric.has(c.name) && "text-right tabular-nums",
                      )}
                      title={cell.text.length > 40 ? cell.text : undefined}
                    >
                      {cell.text}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
        {rows.length === 0 ? <p className="px-4 py-6 text-center text-sm text-zinc-500">No rows.</p> : null}
      </div>
    </div>
  );
}
