"use client";
// The table picker: the source's schemas → their tables and views → the picked table's columns. Picking a
// table writes `select * from "schema"."table"` into the model (the editor can narrow it afterwards).
import { useQuery } from "@tanstack/react-query";
import { ChevronRight, Eye, Table2 } from "lucide-react";
import { type ReactNode, useState } from "react";
import { useWorkspace } from "@/components/shell/workspace-context";
import { cn } from "@/lib/cn";
import { useTRPC } from "@/trpc/react";
import { Spinner } from "./spinner";

export function TablePicker({
  sourceId,
  picked,
  onPick,
  disabled,
}: {
  sourceId: string;
  picked: { schema: string; table: string } | null;
  onPick: (schema: string, table: string) => void;
  disabled?: boolean;
}) {
  const trpc = useTRPC();
  const ws = useWorkspace();
  const [schema, setSchema] = useState<string | null>(picked?.schema ?? null);
  const schemas = useQuery(trpc.model.browse.queryOptions({ workspace: ws.slug, sourceId }));
  const tables = useQuery({
    ...trpc.model.browse.queryOptions({ workspace: ws.slug, sourceId, schema: schema ?? "" }),
    enabled: schema !== null,
  });
  const table = picked && picked.schema === schema ? picked.table : null;
  const columns = useQuery({
    ...trpc.model.browse.queryOptions({ workspace: ws.slug, sourceId, schema: schema ?? "", table: table ?? "" }),
    enabled: schema !== null && table !== null,
  });

  return (
    <div className="grid overflow-hidden rounded-lg ring-1 ring-zinc-200 sm:grid-cols-3" data-testid="table-picker">
      <Pane title="Schemas" state={schemas} empty="This source shows no schemas.">
        {schemas.data?.level === "schemas"
          ? schemas.data.schemas.map((name) => (
              <PaneItem key={name} active={name === schema} onClick={() => setSchema(name)} disabled={disabled}>
                <span className="truncate">{name}</span>
                <ChevronRight className="size-3.5 shrink-0 text-zinc-400" aria-hidden />
              </PaneItem>
            ))
          : null}
      </Pane>
      <Pane
        title={schema ? `Tables in ${schema}` : "Tables"}
        state={schema ? tables : null}
        idle="Choose a schema."
        empty="No tables or views in this schema."
      >
        {tables.data?.level === "tables"
          ? tables.data.tables.map((t) => (
              <PaneItem
                key={t.name}
                active={t.name === table}
                onClick={() => schema && onPick(schema, t.name)}
                disabled={disabled}
                label={`${t.kind === "view" ? "View" : "Table"} ${t.name}`}
              >
                <span className="flex min-w-0 items-center gap-2">
                  {t.kind === "view" ? (
                    <Eye className="size-3.5 shrink-0 text-zinc-400" aria-hidden />
                  ) : (
                    <Table2 className="size-3.5 shrink-0 text-zinc-400" aria-hidden />
                  )}
                  <span className="truncate">{t.name}</span>
                </span>
              </PaneItem>
            ))
          : null}
      </Pane>
      <Pane
        title={table ? `Columns of ${table}` : "Columns"}
        state={table ? columns : null}
        idle="Pick a table to use it as the model."
        empty="This table has no columns Sluice can read."
      >
        {columns.data?.level === "columns"
          ? columns.data.columns.map((c) => (
              <li key={c.name} className="flex items-baseline justify-between gap-3 px-3 py-1.5">
                <span className="truncate font-mono text-xs text-zinc-800">{c.name}</span>
                <span className="shrink-0 text-[11px] text-zinc-400">{c.type}</span>
              </li>
            ))
          : null}
      </Pane>
    </div>
  );
}

function Pane({
  title,
  state,
  idle,
  empty,
  children,
}: {
  title: string;
  state: { isPending: boolean; error: { message: string } | null; data?: unknown } | null;
  idle?: string;
  empty: string;
  children: ReactNode;
}) {
  const items = Array.isArray(children) ? children : children ? [children] : [];
  return (
    <div className="flex min-h-56 flex-col border-zinc-200 not-last:border-b sm:not-last:border-r sm:not-last:border-b-0">
      <p className="border-b border-zinc-100 bg-zinc-50 px-3 py-2 text-xs font-medium text-zinc-500">{title}</p>
      {state === null ? (
        <p className="px-3 py-4 text-sm text-zinc-400">{idle}</p>
      ) : state.isPending ? (
        <div className="px-3 py-4">
          <Spinner label="Reading the catalogue…" />
        </div>
      ) : state.error ? (
        <p role="alert" className="px-3 py-4 text-sm text-red-700">
          {state.error.message}
        </p>
      ) : items.flat().length === 0 ? (
        <p className="px-3 py-4 text-sm text-zinc-400">{empty}</p>
      ) : (
        <ul className="max-h-72 flex-1 overflow-y-auto py-1">{children}</ul>
      )}
    </div>
  );
}

function PaneItem({
  active,
  onClick,
  disabled,
  label,
  children,
}: {
  active: boolean;
  onClick: () => void;
  disabled?: boolean;
  label?: string;
  children: ReactNode;
}) {
  return (
    <li>
      <button
        type="button"
        onClick={onClick}
        disabled={disabled}
        aria-pressed={active}
        aria-label={label}
        className={cn(
          "flex w-full items-center justify-between gap-2 px-3 py-1.5 text-left text-sm disabled:cursor-not-allowed",
          active ? "bg-brand-50 font-medium text-brand-800" : "text-zinc-700 hover:bg-zinc-50",
        )}
      >
        {children}
      </button>
    </li>
  );
}
