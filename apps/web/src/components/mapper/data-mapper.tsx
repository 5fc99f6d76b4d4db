"use client";
// The visual data mapper: the model's columns on the left, the destination object's fields on the right.
// A field gets its value by picking a column (or a constant) in its row, or by dragging a column onto it;
// suggestions by name are one click each. Free-form objects (a webhook) take any field path instead, typed
// per row (dot paths nest). The checks run on every edit and show inline where they apply.
import {
  checkMappings,
  type MappingIssue,
  type MappingSuggestion,
  type ModelColumn,
  suggestMappings,
} from "@sluice/contracts/mapper";
import type { Cast } from "@sluice/contracts/mapping";
import type { SyncMode } from "@sluice/contracts/sync-config";
import { ArrowRight, Fingerprint, GripVertical, Plus, Sparkles, X } from "lucide-react";
import { type DragEvent, type ReactNode, useMemo, useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { cn } from "@/lib/cn";
import {
  acceptSuggestions,
  addColumnRow,
  constantSourceFor,
  type DraftRow,
  type DraftSource,
  type DraftSpec,
  nestedShape,
  newRowId,
  placeIssues,
  removeRow,
  setFieldColumn,
  setRowCast,
  targetsByColumn,
  updateRow,
} from "./mapping-draft";
import { IssueLine, IssueList } from "./mapping-issues";
import { SourceEditor } from "./source-editor";
import type { MapperObject, MapperObjectField } from "./types";

/** The drag payload type: a model column's name. */
const COLUMN_MIME = "application/x-sluice-column";
const SUGGESTIONS_SHOWN = 12;
/** Issues a suggested column fixes: the field has no value yet. */
const UNMAPPED_CODES = new Set<MappingIssue["code"]>(["identifier_unmapped", "required_unmapped"]);

/** The checks, as the screen runs them on every edit (the same function the server runs on save). */
export function useMappingIssues(
  draft: DraftSpec,
  columns: readonly ModelColumn[] | null,
  object: MapperObject | undefined,
  mode: SyncMode | null,
): MappingIssue[] {
  return useMemo(() => {
    if (!object) return [];
    return checkMappings(draft.spec, columns ?? undefined, object.fields, {
      ...(mode ? { mode } : {}),
      modes: object.modes.map((m) => m.mode),
      freeForm: object.freeForm,
      objectLabel: object.object.label,
    });
  }, [draft.spec, columns, object, mode]);
}

export interface DataMapperProps {
  object: MapperObject;
  /** null: not known here (a viewer cannot run the model's SQL; or still loading). */
  columns: readonly ModelColumn[] | null;
  /** Shown in the columns panel instead of the list: loading, or why the columns are not shown. */
  columnsNote?: ReactNode;
  rows: DraftRow[];
  draft: DraftSpec;
  issues: readonly MappingIssue[];
  onChange: (rows: DraftRow[]) => void;
  readOnly: boolean;
}

export function DataMapper({ object, columns, columnsNote, rows, draft, issues, onChange, readOnly }: DataMapperProps) {
  const fieldNames = useMemo(() => new Set(object.freeForm ? [] : object.fields.map((f) => f.name)), [object]);
  const placed = placeIssues(issues, draft.specRowIds, fieldNames);
  const problems = new Map(draft.problems.map((p) => [p.rowId, p.message]));
  const suggestions =
    columns && !readOnly ? suggestMappings(columns, object.fields, draft.spec, { freeForm: object.freeForm }) : [];
  const extraRows = object.freeForm ? rows : rows.filter((r) => !fieldNames.has(r.to));
  const suggestionFor = new Map(suggestions.map((s) => [s.to, s]));
  const applyCast = (rowId: string | undefined, cast: Cast) => rowId && onChange(setRowCast(rows, rowId, cast));

  const rowProps = (row: DraftRow) => ({
    row,
    columns,
    readOnly,
    problem: problems.get(row.id),
    issues: placed.byRow.get(row.id) ?? [],
    onApplyCast: (cast: Cast) => applyCast(row.id, cast),
    onSource: (source: DraftSource) => onChange(updateRow(rows, row.id, { source })),
    onColumn: (column: string) => onChange(updateRow(rows, row.id, { source: { kind: "column", column } })),
    onRemove: () => onChange(removeRow(rows, row.id)),
  });

  return (
    <div className="space-y-4" data-testid="data-mapper">
      {object.warnings.map((w) => (
        <p
          key={w}
          role="note"
          className="rounded-lg bg-amber-50 px-3 py-2 text-sm text-amber-900 ring-1 ring-amber-200 ring-inset"
        >
          {w}
        </p>
      ))}
      {suggestions.length > 0 ? (
        <div className="rounded-lg bg-brand-50/60 px-4 py-3 ring-1 ring-brand-100 ring-inset" data-testid="suggestions">
          <div className="flex flex-wrap items-center justify-between gap-2">
            <p className="flex items-center gap-1.5 text-sm font-medium text-brand-900">
              <Sparkles className="size-4 text-brand-600" aria-hidden />
              {suggestions.length} suggested mapping{suggestions.length === 1 ? "" : "s"}
              <span className="font-normal text-brand-800/70">
                {object.freeForm ? "— each column under its own name" : "— matched by name"}
              </span>
            </p>
            <Button size="sm" variant="secondary" onClick={() => onChange(acceptSuggestions(rows, suggestions))}>
              Accept all
            </Button>
          </div>
          <ul className="mt-2 flex flex-wrap gap-1.5">
            {suggestions.slice(0, SUGGESTIONS_SHOWN).map((s) => (
              <li key={`${s.from}->${s.to}`}>
                <button
                  type="button"
                  title={`${s.reason}${s.cast ? ` (cast to ${s.cast})` : ""}`}
                  aria-label={`Accept ${s.from} → ${s.to}`}
                  onClick={() => onChange(acceptSuggestions(rows, [s]))}
                  className="inline-flex items-center gap-1.5 rounded-full bg-white py-0.5 pr-1 pl-2.5 text-xs text-zinc-700 ring-1 ring-brand-200 ring-inset hover:bg-brand-50"
                >
                  <span className="font-mono">{s.from}</span>
                  <ArrowRight className="size-3 text-zinc-400" aria-hidden />
                  <span className="font-mono">{s.to}</span>
                  {s.cast ? <span className="text-zinc-400">as {s.cast}</span> : null}
                  <span className="rounded-full bg-brand-600 px-2 py-0.5 font-medium text-white">Accept</span>
                </button>
              </li>
            ))}
            {suggestions.length > SUGGESTIONS_SHOWN ? (
              <li className="self-center text-xs text-brand-800/70">
                and {suggestions.length - SUGGESTIONS_SHOWN} more (Accept all takes them too)
              </li>
            ) : null}
          </ul>
        </div>
      ) : null}
      {placed.general.length > 0 ? (
        <div className="rounded-lg bg-white px-4 py-3 ring-1 ring-zinc-200 ring-inset" data-testid="general-issues">
          <IssueList issues={placed.general} />
        </div>
      ) : null}

      <div className="grid items-start gap-4 lg:grid-cols-[17rem_minmax(0,1fr)]">
        <ColumnPanel columns={columns} note={columnsNote} rows={rows} readOnly={readOnly} />
        <div className="min-w-0 rounded-lg ring-1 ring-zinc-200">
          <div className="flex items-center justify-between gap-3 border-b border-zinc-100 bg-zinc-50 px-4 py-2">
            <p className="text-xs font-medium text-zinc-500">
              {object.freeForm
                ? `${object.destinationName} takes any field: name each one`
                : `Fields of ${object.object.label} in ${object.destinationName}`}
            </p>
            <p className="text-xs text-zinc-400">
              {rows.length} mapped{object.freeForm ? "" : ` of ${object.fields.length}`}
            </p>
          </div>
          {object.freeForm ? null : (
            <ul className="divide-y divide-zinc-100" aria-label="Destination fields">
              {object.fields.map((field) => {
                const row = rows.find((r) => r.to === field.name);
                return (
                  <FieldRow
                    key={field.name}
                    field={field}
                    row={row ?? null}
                    columns={columns}
                    readOnly={readOnly}
                    problem={row ? problems.get(row.id) : undefined}
                    issues={[...(placed.byField.get(field.name) ?? []), ...(row ? (placed.byRow.get(row.id) ?? []) : [])]}
                    suggestion={suggestionFor.get(field.name)}
                    onAcceptSuggestion={(sug) => onChange(acceptSuggestions(rows, [sug]))}
                    onApplyCast={(cast) => applyCast(row?.id, cast)}
                    onColumn={(column) =>
                      onChange(column === "" && row ? removeRow(rows, row.id) : setFieldColumn(rows, field.name, column))
                    }
                    onConstant={() =>
                      onChange(
                        row
                          ? updateRow(rows, row.id, { source: constantSourceFor(field.type) })
                          : [...rows, { id: newRowId(), to: field.name, source: constantSourceFor(field.type) }],
                      )
                    }
                    onSource={(source) => row && onChange(updateRow(rows, row.id, { source }))}
                    onRemove={() => row && onChange(removeRow(rows, row.id))}
                  />
                );
              })}
            </ul>
          )}
          {!object.freeForm && extraRows.length > 0 ? (
            <p className="border-t border-zinc-100 bg-zinc-50 px-4 py-2 text-xs font-medium text-zinc-500">Other fields</p>
          ) : null}
          {extraRows.length > 0 ? (
            <ul className="divide-y divide-zinc-100 border-t border-zinc-100 first:border-t-0" aria-label="Mapped fields">
              {extraRows.map((row) => (
                <PathRow key={row.id} {...rowProps(row)} onPath={(to) => onChange(updateRow(rows, row.id, { to }))} />
              ))}
            </ul>
          ) : object.freeForm ? (
            <p className="px-4 py-6 text-center text-sm text-zinc-500">
              Nothing mapped yet. Accept the suggestions, drag a column here, or add a field.
            </p>
          ) : null}
          {readOnly ? null : (
            <AddFieldBar
              freeForm={object.freeForm}
              onDropColumn={(column) => onChange(addColumnRow(rows, column))}
              onAddColumn={() => onChange([...rows, { id: newRowId(), to: "", source: { kind: "column", column: "" } }])}
              onAddConstant={() => onChange([...rows, { id: newRowId(), to: "", source: constantSourceFor(undefined) }])}
            />
          )}
        </div>
      </div>
    </div>
  );
}

function ColumnPanel({
  columns,
  note,
  rows,
  readOnly,
}: {
  columns: readonly ModelColumn[] | null;
  note?: ReactNode;
  rows: readonly DraftRow[];
  readOnly: boolean;
}) {
  const targets = targetsByColumn(rows);
  return (
    <div className="rounded-lg ring-1 ring-zinc-200" data-testid="model-columns">
      <div className="flex items-center justify-between border-b border-zinc-100 bg-zinc-50 px-4 py-2">
        <p className="text-xs font-medium text-zinc-500">Model columns</p>
        {columns ? <p className="text-xs text-zinc-400">{columns.length}</p> : null}
      </div>
      {columns === null ? (
        <div className="px-4 py-4 text-sm text-zinc-500">{note}</div>
      ) : (
        <>
          {readOnly ? null : (
            <p className="px-4 pt-2 text-[11px] text-zinc-400">Drag a column onto a field, or pick it in the field's row.</p>
          )}
          <ul className="max-h-[32rem] overflow-y-auto p-2">
            {columns.map((c) => {
              const to = targets.get(c.name) ?? [];
              return (
                <li
                  key={c.name}
                  draggable={!readOnly}
                  onDragStart={(e) => {
                    e.dataTransfer.setData(COLUMN_MIME, c.name);
                    e.dataTransfer.setData("text/plain", c.name);
                    e.dataTransfer.effectAllowed = "copy";
                  }}
                  data-testid="model-column"
                  data-column={c.name}
                  className={cn(
                    "group flex items-start gap-1.5 rounded-md px-2 py-1.5",
                    !readOnly && "cursor-grab hover:bg-zinc-50 active:cursor-grabbing",
                  )}
                >
                  {readOnly ? null : (
                    <GripVertical className="mt-0.5 size-3.5 shrink-0 text-zinc-300 group-hover:text-zinc-400" aria-hidden />
                  )}
                  <div className="min-w-0 flex-1">
                    <p className="flex items-baseline justify-between gap-2">
                      <span className="truncate font-mono text-xs text-zinc-800">{c.name}</span>
                      <span className="shrink-0 text-[11px] text-zinc-400">{c.type}</span>
                    </p>
                    {to.length > 0 ? (
                      <p className="truncate text-[11px] text-brand-700" title={to.join(", ")}>
                        → {to.join(", ")}
                      </p>
                    ) : null}
                  </div>
                </li>
              );
            })}
          </ul>
        </>
      )}
    </div>
  );
}

/** Drop handlers for a target that takes a dragged column, with its hover state. */
function useColumnDrop(onDropColumn: ((column: string) => void) | undefined) {
  const [over, setOver] = useState(false);
  if (!onDropColumn) return { over: false, handlers: {} };
  const accepts = (e: DragEvent) => e.dataTransfer.types.includes(COLUMN_MIME);
  return {
    over,
    handlers: {
      onDragOver: (e: DragEvent) => {
        if (!accepts(e)) return;
        e.preventDefault();
        e.dataTransfer.dropEffect = "copy";
        setOver(true);
      },
      onDragLeave: () => setOver(false),
      onDrop: (e: DragEvent) => {
        setOver(false);
        const column = e.dataTransfer.getData(COLUMN_MIME);
        if (!column) return;
        e.preventDefault();
        onDropColumn(column);
      },
    },
  };
}

function FieldRow({
  field,
  row,
  columns,
  readOnly,
  problem,
  issues,
  suggestion,
  onAcceptSuggestion,
  onApplyCast,
  onColumn,
  onConstant,
  onSource,
  onRemove,
}: {
  field: MapperObjectField;
  row: DraftRow | null;
  columns: readonly ModelColumn[] | null;
  readOnly: boolean;
  problem: string | undefined;
  issues: MappingIssue[];
  /** The best column for this field by name, when it is still free. */
  suggestion: MappingSuggestion | undefined;
  onAcceptSuggestion: (suggestion: MappingSuggestion) => void;
  onApplyCast: (cast: Cast) => void;
  onColumn: (column: string) => void;
  onConstant: () => void;
  onSource: (source: DraftSource) => void;
  onRemove: () => void;
}) {
  const drop = useColumnDrop(readOnly ? undefined : onColumn);
  const blocking = issues.some((i) => i.severity === "error") || problem !== undefined;
  return (
    <li
      {...drop.handlers}
      data-testid="field-row"
      data-field={field.name}
      className={cn("px-4 py-3 transition-colors", drop.over && "bg-brand-50 ring-2 ring-brand-400 ring-inset")}
    >
      <div className="grid items-center gap-3 sm:grid-cols-[minmax(0,1fr)_auto_minmax(9rem,14rem)_auto]">
        <SourceEditor
          target={field.name}
          source={row?.source ?? null}
          columns={columns}
          onColumn={onColumn}
          onConstant={onConstant}
          onSource={onSource}
          onCast={(cast) => (cast ? onApplyCast(cast) : row && onSource(stripCast(row.source)))}
          readOnly={readOnly}
          emptyLabel={readOnly ? "Not mapped" : "— Not mapped —"}
          invalid={blocking}
        />
        <ArrowRight className={cn("hidden size-4 sm:block", row ? "text-brand-500" : "text-zinc-300")} aria-hidden />
        <FieldInfo field={field} />
        {row && !readOnly ? (
          <RemoveButton label={`Unmap ${field.name}`} onClick={onRemove} />
        ) : (
          <span className="hidden w-7 sm:block" />
        )}
      </div>
      {problem || issues.length > 0 ? (
        <ul className="mt-2 space-y-1">
          {problem ? <IssueLine issue={{ severity: "error", code: "spec_invalid", message: problem }} /> : null}
          {issues.map((issue, i) => (
            <IssueLine
              // biome-ignore lint/suspicious/noArrayIndexKey: recomputed on every edit in a stable order
              key={i}
              issue={issue}
              onApplyCast={!readOnly && issue.index !== undefined ? onApplyCast : undefined}
              action={
                !readOnly && suggestion && UNMAPPED_CODES.has(issue.code)
                  ? { label: `Map ${suggestion.from}`, onClick: () => onAcceptSuggestion(suggestion) }
                  : undefined
              }
            />
          ))}
        </ul>
      ) : null}
    </li>
  );
}

function stripCast(source: DraftSource): DraftSource {
  if (source.kind !== "column") return source;
  return { kind: "column", column: source.column };
}

function FieldInfo({ field }: { field: MapperObjectField }) {
  return (
    <div className="min-w-0" title={field.description}>
      <p className="flex flex-wrap items-center gap-1.5">
        <span className="text-sm font-medium text-zinc-900">{field.label ?? field.name}</span>
        {field.label && field.label !== field.name ? <span className="font-mono text-xs text-zinc-400">{field.name}</span> : null}
      </p>
      <p className="mt-1 flex flex-wrap items-center gap-1">
        <Badge className="font-mono">{field.type}</Badge>
        {field.identifier ? (
          <Badge tone="brand" className="gap-1">
            <Fingerprint className="size-3" aria-hidden /> Identifier
          </Badge>
        ) : null}
        {field.required ? <Badge tone="amber">Required</Badge> : null}
        {field.custom ? <Badge tone="green">Custom</Badge> : null}
      </p>
    </div>
  );
}

function PathRow({
  row,
  columns,
  readOnly,
  problem,
  issues,
  onApplyCast,
  onSource,
  onColumn,
  onRemove,
  onPath,
}: {
  row: DraftRow;
  columns: readonly ModelColumn[] | null;
  readOnly: boolean;
  problem: string | undefined;
  issues: MappingIssue[];
  onApplyCast: (cast: Cast) => void;
  onSource: (source: DraftSource) => void;
  onColumn: (column: string) => void;
  onRemove: () => void;
  onPath: (to: string) => void;
}) {
  const drop = useColumnDrop(readOnly ? undefined : onColumn);
  const blocking = issues.some((i) => i.severity === "error") || problem !== undefined;
  return (
    <li
      {...drop.handlers}
      data-testid="path-row"
      data-field={row.to}
      className={cn("px-4 py-3 transition-colors", drop.over && "bg-brand-50 ring-2 ring-brand-400 ring-inset")}
    >
      <div className="grid items-center gap-3 sm:grid-cols-[minmax(0,1fr)_auto_minmax(9rem,14rem)_auto]">
        <SourceEditor
          target={row.to}
          source={row.source}
          columns={columns}
          onColumn={onColumn}
          onConstant={() => onSource(constantSourceFor(undefined))}
          onSource={onSource}
          onCast={(cast) => (cast ? onApplyCast(cast) : onSource(stripCast(row.source)))}
          readOnly={readOnly}
          emptyLabel="Choose a column"
          invalid={blocking}
        />
        <ArrowRight className="hidden size-4 text-brand-500 sm:block" aria-hidden />
        <input
          aria-label={row.to ? `Field path of ${row.to}` : "Field path of new field"}
          value={row.to}
          onChange={(e) => onPath(e.target.value)}
          disabled={readOnly}
          placeholder="field or traits.plan"
          spellCheck={false}
          className={cn(
            "block w-full min-w-0 rounded-md border-0 bg-white px-2 py-1.5 font-mono text-sm text-zinc-900 shadow-xs ring-1 ring-inset focus:ring-2 focus:outline-none disabled:bg-zinc-50 disabled:text-zinc-600",
            row.to.trim() === "" ? "ring-red-300 focus:ring-red-500" : "ring-zinc-300 focus:ring-brand-500",
          )}
        />
        {readOnly ? (
          <span className="hidden w-7 sm:block" />
        ) : (
          <RemoveButton label={`Remove ${row.to || "field"}`} onClick={onRemove} />
        )}
      </div>
      {row.to.includes(".") && row.to.trim().split(".").every(Boolean) ? (
        <p className="mt-1 font-mono text-[11px] text-zinc-400" data-testid="nested-shape">
          sent as {nestedShape(row.to)}
        </p>
      ) : null}
      {problem || issues.length > 0 ? (
        <ul className="mt-2 space-y-1">
          {problem ? <IssueLine issue={{ severity: "error", code: "spec_invalid", message: problem }} /> : null}
          {issues.map((issue, i) => (
            <IssueLine
              // biome-ignore lint/suspicious/noArrayIndexKey: recomputed on every edit in a stable order
              key={i}
              issue={issue}
              onApplyCast={!readOnly ? onApplyCast : undefined}
            />
          ))}
        </ul>
      ) : null}
    </li>
  );
}

function RemoveButton({ label, onClick }: { label: string; onClick: () => void }) {
  return (
    <button
      type="button"
      onClick={onClick}
      aria-label={label}
      title={label}
      className="flex size-7 items-center justify-center rounded-md text-zinc-400 hover:bg-zinc-100 hover:text-zinc-700"
    >
      <X className="size-4" aria-hidden />
    </button>
  );
}

function AddFieldBar({
  freeForm,
  onDropColumn,
  onAddColumn,
  onAddConstant,
}: {
  freeForm: boolean;
  onDropColumn: (column: string) => void;
  onAddColumn: () => void;
  onAddConstant: () => void;
}) {
  const drop = useColumnDrop(onDropColumn);
  return (
    <div
      {...drop.handlers}
      data-testid="add-field"
      className={cn(
        "m-3 flex flex-wrap items-center justify-between gap-2 rounded-lg border border-dashed px-3 py-2.5 transition-colors",
        drop.over ? "border-brand-400 bg-brand-50" : "border-zinc-300",
      )}
    >
      <p className="text-xs text-zinc-500">
        {freeForm
          ? "Drop a column here to send it under its own name, or add a field by path."
          : "Another field (e.g. one inside a JSON field)? Add it by path."}
      </p>
      <div className="flex gap-2">
        <Button size="sm" variant="secondary" onClick={onAddColumn}>
          <Plus className="size-3.5" aria-hidden /> Add field
        </Button>
        <Button size="sm" variant="secondary" onClick={onAddConstant}>
          <Plus className="size-3.5" aria-hidden /> Add constant
        </Button>
      </div>
    </div>
  );
}
