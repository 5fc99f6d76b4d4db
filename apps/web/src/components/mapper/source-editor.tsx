"use client";
// Where one field's value comes from: a model column (with an optional cast) or a constant typed as text,
// number, true/false or JSON.
import type { ModelColumn } from "@sluice/contracts/mapper";
import { CASTS, type Cast } from "@sluice/contracts/mapping";
import { cn } from "@/lib/cn";
import { CONSTANT_TYPES, type ConstantType, convertConstantText, type DraftSource } from "./mapping-draft";

/** The select's value for "a constant": no column can be called this. */
export const CONSTANT_CHOICE = "__sluice_constant__";

const SELECT =
  "block rounded-md border-0 bg-white py-1.5 pr-7 pl-2 text-sm text-zinc-900 shadow-xs ring-1 ring-inset ring-zinc-300 focus:ring-2 focus:ring-brand-500 focus:outline-none disabled:bg-zinc-50 disabled:text-zinc-500";
const INPUT =
  "block min-w-0 rounded-md border-0 bg-white px-2 py-1.5 text-sm text-zinc-900 shadow-xs ring-1 ring-inset focus:ring-2 focus:outline-none disabled:bg-zinc-50 disabled:text-zinc-500";

const CONSTANT_LABELS: Record<ConstantType, string> = { text: "Text", number: "Number", boolean: "True/false", json: "JSON" };

export function SourceEditor({
  target,
  source,
  columns,
  onColumn,
  onConstant,
  onSource,
  onCast,
  readOnly,
  emptyLabel,
  invalid,
}: {
  /** The field this source feeds, for the controls' labels. */
  target: string;
  source: DraftSource | null;
  columns: readonly ModelColumn[] | null;
  /** A column was chosen ("" = none). */
  onColumn: (column: string) => void;
  /** "Constant value" was chosen. */
  onConstant: () => void;
  onSource: (source: DraftSource) => void;
  onCast: (cast: Cast | undefined) => void;
  readOnly: boolean;
  emptyLabel: string;
  invalid?: boolean;
}) {
  const chosen = source === null ? "" : source.kind === "constant" ? CONSTANT_CHOICE : source.column;
  // Columns unknown (a viewer, or still loading): the mapped column is still shown.
  const options = columns ?? (source?.kind === "column" && source.column ? [{ name: source.column, type: "" }] : []);
  const known = source?.kind !== "column" || source.column === "" || options.some((c) => c.name === source.column);
  const name = target || "new field";
  return (
    <div className="flex min-w-0 flex-wrap items-center gap-2">
      <select
        aria-label={`Source of ${name}`}
        value={chosen}
        disabled={readOnly}
        onChange={(e) => (e.target.value === CONSTANT_CHOICE ? onConstant() : onColumn(e.target.value))}
        className={cn(SELECT, "w-64 max-w-full font-mono text-xs", invalid && "ring-red-400")}
      >
        <option value="">{emptyLabel}</option>
        {!known && source?.kind === "column" ? <option value={source.column}>{source.column} (not in the model)</option> : null}
        <optgroup label="Model columns">
          {options.map((c) => (
            <option key={c.name} value={c.name}>
              {c.type ? `${c.name} · ${c.type}` : c.name}
            </option>
          ))}
        </optgroup>
        <option value={CONSTANT_CHOICE}>Constant value…</option>
      </select>
      {source?.kind === "column" && source.column !== "" ? (
        <select
          aria-label={`Cast of ${name}`}
          value={source.cast ?? ""}
          disabled={readOnly}
          onChange={(e) => onCast((e.target.value || undefined) as Cast | undefined)}
          className={cn(SELECT, "text-xs")}
        >
          <option value="">as is</option>
          {CASTS.map((c) => (
            <option key={c} value={c}>
              as {c}
            </option>
          ))}
        </select>
      ) : null}
      {source?.kind === "constant" ? (
        <>
          <select
            aria-label={`Constant type of ${name}`}
            value={source.type}
            disabled={readOnly}
            onChange={(e) => {
              const type = e.target.value as ConstantType;
              onSource({ kind: "constant", type, text: convertConstantText(source.type, type, source.text) });
            }}
            className={cn(SELECT, "text-xs")}
          >
            {CONSTANT_TYPES.map((t) => (
              <option key={t} value={t}>
                {CONSTANT_LABELS[t]}
              </option>
            ))}
          </select>
          {source.type === "boolean" ? (
            <select
              aria-label={`Constant value of ${name}`}
              value={source.text}
              disabled={readOnly}
              onChange={(e) => onSource({ ...source, text: e.target.value })}
              className={cn(SELECT, "text-xs")}
            >
              <option value="true">true</option>
              <option value="false">false</option>
            </select>
          ) : (
            <input
              aria-label={`Constant value of ${name}`}
              value={source.text}
              disabled={readOnly}
              inputMode={source.type === "number" ? "decimal" : undefined}
              placeholder={source.type === "json" ? '{"tier": "gold"}' : source.type === "number" ? "42" : "value"}
              spellCheck={false}
              onChange={(e) => onSource({ ...source, text: e.target.value })}
              className={cn(
                INPUT,
                // Its own line under the selects: JSON and text values need the width.
                "basis-full font-mono text-xs",
                invalid ? "ring-red-400" : "ring-zinc-300 focus:ring-brand-500",
              )}
            />
          )}
        </>
      ) : null}
    </div>
  );
}
