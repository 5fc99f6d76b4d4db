"use client";
// Creating or editing a model: a source, its SQL (typed, or a table picked from the warehouse's catalogue),
// a preview of the first 100 rows with their types, a primary key picked from the preview's columns and
// checked in the warehouse, then save. Viewers read it all; running SQL and saving need an editor.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { AlertOctagon, ArrowLeft, ArrowLeftRight, CheckCircle2, Code2, Play, ShieldCheck, Table2, Trash2 } from "lucide-react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useWorkspace } from "@/components/shell/workspace-context";
import { Badge } from "@/components/ui/badge";
import { Button, buttonClasses } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Dialog } from "@/components/ui/dialog";
import { FormAlert, SelectField, TextField } from "@/components/ui/field";
import { PageHeader } from "@/components/ui/page-header";
import { ErrorBlock, LoadingBlock } from "@/components/ui/spinner";
import { cn } from "@/lib/cn";
import type { FieldErrors } from "@/lib/field-errors";
import { toFormError } from "@/lib/trpc-errors";
import { useTRPC } from "@/trpc/react";
import { guessPrimaryKey, missingKeyColumns, nameFromTable, tableQuery, togglePrimaryKey } from "./model-draft";
import { PreviewTable } from "./preview-table";
import { KeyCheckResult, PrimaryKeyChips } from "./primary-key-picker";
import { ReadOnlyNotice } from "./read-only-notice";
import { SqlEditor } from "./sql-editor";
import { TablePicker } from "./table-picker";
import type { KeyCheck, ModelPreview, ModelView } from "./types";
import { WorkingBar } from "./working-bar";

export const PREVIEW_ROWS = 100;

export function ModelEditor({ id, created = false }: { id?: string; created?: boolean }) {
  const trpc = useTRPC();
  const ws = useWorkspace();
  const model = useQuery({ ...trpc.model.get.queryOptions({ workspace: ws.slug, id: id ?? "" }), enabled: id !== undefined });
  if (id === undefined) return <Editor initial={null} created={false} />;
  if (model.isPending) return <LoadingBlock />;
  if (model.error) return <ErrorBlock message={model.error.message} />;
  return <Editor key={model.data.id} initial={model.data} created={created} />;
}

function Editor({ initial, created }: { initial: ModelView | null; created: boolean }) {
  const trpc = useTRPC();
  const ws = useWorkspace();
  const router = useRouter();
  const queryClient = useQueryClient();
  const canWrite = ws.can("model.write");
  const sources = useQuery(trpc.source.list.queryOptions({ workspace: ws.slug }));

  const [name, setName] = useState(initial?.name ?? "");
  const [chosenSource, setChosenSource] = useState(initial?.sourceId ?? "");
  const [query, setQuery] = useState(initial?.query ?? "");
  const [primaryKey, setPrimaryKey] = useState<string[]>(initial?.primaryKey ?? []);
  const [tab, setTab] = useState<"sql" | "table">("sql");
  const [picked, setPicked] = useState<{ schema: string; table: string } | null>(null);
  const [previewed, setPreviewed] = useState<{ query: string; sourceId: string; result: ModelPreview } | null>(null);
  const [previewError, setPreviewError] = useState<string | null>(null);
  const [checked, setChecked] = useState<{ key: string; result: KeyCheck } | null>(null);
  const [checkError, setCheckError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [savedAt, setSavedAt] = useState<number | null>(null);
  const [confirmDelete, setConfirmDelete] = useState(false);

  // A new model starts on the workspace's first source.
  const sourceId = chosenSource || sources.data?.[0]?.id || "";
  const preview = useMutation(trpc.model.preview.mutationOptions());
  const check = useMutation(trpc.model.checkPrimaryKey.mutationOptions());
  const create = useMutation(trpc.model.create.mutationOptions());
  const update = useMutation(trpc.model.update.mutationOptions());
  const remove = useMutation(trpc.model.delete.mutationOptions());
  const saving = create.isPending || update.isPending;

  const checkKey = JSON.stringify([sourceId, query.trim(), primaryKey]);
  const previewStale = previewed !== null && (previewed.query !== query || previewed.sourceId !== sourceId);
  const keyColumns = previewed?.result.columns ?? primaryKey.map((name) => ({ name, type: undefined }));
  const lostKeyColumns = previewed ? missingKeyColumns(primaryKey, previewed.result.columns) : [];
  const dirty =
    initial === null ||
    name.trim() !== initial.name ||
    sourceId !== initial.sourceId ||
    query.trim() !== initial.query.trim() ||
    JSON.stringify(primaryKey) !== JSON.stringify(initial.primaryKey);

  function runPreview() {
    if (!canWrite || !sourceId || !query.trim() || preview.isPending) return;
    const ran = { query, sourceId };
    setPreviewError(null);
    preview.mutate(
      { workspace: ws.slug, sourceId, query, limit: PREVIEW_ROWS },
      {
        onSuccess: (result) => {
          setPreviewed({ ...ran, result });
          if (primaryKey.length === 0) setPrimaryKey(guessPrimaryKey(result.columns));
        },
        onError: (error) => {
          setPreviewed(null);
          setPreviewError(error.message);
        },
      },
    );
  }

  function runCheck() {
    if (!canWrite || primaryKey.length === 0 || check.isPending) return;
    const key = checkKey;
    setCheckError(null);
    check.mutate(
      { workspace: ws.slug, sourceId, query, primaryKey },
      {
        onSuccess: (result) => setChecked({ key, result }),
        onError: (error) => {
          setChecked(null);
          setCheckError(error.message);
        },
      },
    );
  }

  function pickTable(schema: string, table: string) {
    setPicked({ schema, table });
    setQuery(tableQuery(schema, table));
    if (!name.trim()) setName(nameFromTable(table));
  }

  async function save() {
    setFormError(null);
    setFieldErrors({});
    const input = { workspace: ws.slug, name: name.trim(), sourceId, query, primaryKey };
    try {
      if (initial) {
        await update.mutateAsync({ ...input, id: initial.id });
        setSavedAt(Date.now());
        await queryClient.invalidateQueries({ queryKey: trpc.model.pathKey() });
      } else {
        const made = await create.mutateAsync(input);
        await queryClient.invalidateQueries({ queryKey: trpc.model.pathKey() });
        await queryClient.invalidateQueries({ queryKey: trpc.workspace.summary.queryKey() });
        router.push(`/w/${ws.slug}/models/${made.id}?created=1`);
      }
    } catch (error) {
      const e = toFormError(error);
      setFieldErrors(e?.fieldErrors ?? {});
      setFormError(e?.message ?? null);
    }
  }

  async function deleteModel() {
    if (!initial) return;
    await remove.mutateAsync({ workspace: ws.slug, id: initial.id });
    await queryClient.invalidateQueries({ queryKey: trpc.model.pathKey() });
    router.push(`/w/${ws.slug}/models`);
  }

  if (sources.isPending) return <LoadingBlock />;
  if (sources.error) return <ErrorBlock message={sources.error.message} />;
  const missing = !name.trim()
    ? "a name"
    : !sourceId
      ? "a source"
      : !query.trim()
        ? "the SQL"
        : primaryKey.length === 0
          ? "a primary key"
          : null;
  const keyCheck = checked && checked.key === checkKey ? checked.result : null;

  return (
    <div>
      <Link
        href={`/w/${ws.slug}/models`}
        className="mb-3 inline-flex items-center gap-1 text-xs font-medium text-zinc-500 hover:text-zinc-800"
      >
        <ArrowLeft className="size-3.5" aria-hidden /> All models
      </Link>
      <PageHeader
        title={initial ? initial.name : "New model"}
        description="A model is the rows a sync sends: a query over a source, and the primary key that tells one row from another."
        actions={
          initial ? (
            <>
              {ws.can("sync.write") ? (
                <Link href={`/w/${ws.slug}/syncs/new?modelId=${initial.id}`} className={buttonClasses("secondary")}>
                  <ArrowLeftRight className="size-4" aria-hidden /> New sync from this model
                </Link>
              ) : null}
              {canWrite ? (
                <Button variant="ghost" onClick={() => setConfirmDelete(true)}>
                  <Trash2 className="size-4" aria-hidden /> Delete
                </Button>
              ) : null}
            </>
          ) : null
        }
      />

      {created && initial ? (
        <div
          role="status"
          className="mb-5 flex flex-wrap items-center justify-between gap-3 rounded-xl bg-emerald-50 px-5 py-3 text-sm text-emerald-900 ring-1 ring-emerald-200"
        >
          <span className="flex items-center gap-2">
            <CheckCircle2 className="size-4 text-emerald-600" aria-hidden /> Model saved. Next, send its rows somewhere with a
            sync.
          </span>
          {ws.can("sync.write") ? (
            <Link href={`/w/${ws.slug}/syncs/new?modelId=${initial.id}`} className={buttonClasses("primary", "sm")}>
              Create a sync
            </Link>
          ) : null}
        </div>
      ) : null}
      {!canWrite ? (
        <ReadOnlyNotice role={ws.role}>
          Viewers can read models. Previewing rows and checking keys run SQL on the warehouse, and saving changes the model: both
          need the editor role.
        </ReadOnlyNotice>
      ) : null}
      {sources.data.length === 0 ? (
        <div className="mb-5">
          <FormAlert>
            This workspace has no source yet. An admin adds one under{" "}
            <Link href={`/w/${ws.slug}/sources`} className="font-medium underline">
              Sources
            </Link>{" "}
            (or loads the demo from the overview).
          </FormAlert>
        </div>
      ) : null}

      <div className="space-y-5">
        <Card className="p-6">
          <div className="grid gap-5 sm:grid-cols-2">
            <TextField
              label="Name"
              value={name}
              onChange={(e) => setName(e.target.value)}
              errors={fieldErrors.name}
              placeholder="Active customers"
              disabled={!canWrite}
              hint="How syncs and runs refer to this model."
            />
            <SelectField
              label="Source"
              value={sourceId}
              onChange={(e) => setChosenSource(e.target.value)}
              errors={fieldErrors.sourceId}
              disabled={!canWrite}
              hint="The warehouse the query runs in."
            >
              {sources.data.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </SelectField>
          </div>
        </Card>

        <Card>
          <div className="flex flex-wrap items-center justify-between gap-3 border-b border-zinc-100 px-6 py-3">
            <div role="tablist" aria-label="How to define the rows" className="flex gap-1 rounded-lg bg-zinc-100 p-1">
              <TabButton active={tab === "sql"} onClick={() => setTab("sql")} icon={<Code2 className="size-4" aria-hidden />}>
                SQL
              </TabButton>
              <TabButton
                active={tab === "table"}
                onClick={() => setTab("table")}
                icon={<Table2 className="size-4" aria-hidden />}
                disabled={!canWrite || !sourceId}
              >
                Pick a table
              </TabButton>
            </div>
            {canWrite ? (
              <div className="flex items-center gap-3">
                <span className="hidden text-xs text-zinc-400 sm:inline">Read-only, first {PREVIEW_ROWS} rows · Ctrl+Enter</span>
                <Button
                  variant="secondary"
                  onClick={runPreview}
                  loading={preview.isPending}
                  disabled={!sourceId || !query.trim()}
                >
                  {preview.isPending ? null : <Play className="size-4" aria-hidden />} Preview
                </Button>
              </div>
            ) : null}
          </div>
          <div className="px-6 py-5">
            {tab === "sql" ? (
              <SqlEditor
                value={query}
                onChange={setQuery}
                readOnly={!canWrite}
                onRun={runPreview}
                invalid={Boolean(previewError) || Boolean(fieldErrors.query)}
              />
            ) : (
              <div className="space-y-3">
                <TablePicker sourceId={sourceId} picked={picked} onPick={pickTable} disabled={!canWrite} />
                {picked ? (
                  <p className="text-sm text-zinc-600" data-testid="picked-table">
                    The model reads{" "}
                    <code className="font-mono text-xs text-zinc-900">{tableQuery(picked.schema, picked.table)}</code>.{" "}
                    <button
                      type="button"
                      className="font-medium text-brand-700 hover:text-brand-800"
                      onClick={() => setTab("sql")}
                    >
                      Edit the SQL
                    </button>{" "}
                    to choose columns or filter rows.
                  </p>
                ) : null}
              </div>
            )}
            {fieldErrors.query ? <p className="mt-2 text-xs text-red-600">{fieldErrors.query.join(" ")}</p> : null}

            <div className="mt-5">
              {preview.isPending ? (
                <WorkingBar label="Running the query on the warehouse" />
              ) : previewError ? (
                <div
                  role="alert"
                  data-testid="preview-error"
                  className="flex items-start gap-3 rounded-lg bg-red-50 px-4 py-3 text-sm text-red-800 ring-1 ring-inset ring-red-200"
                >
                  <AlertOctagon className="mt-0.5 size-4 shrink-0 text-red-600" aria-hidden />
                  <div className="min-w-0">
                    <p className="font-medium">The warehouse could not run this query</p>
                    <p className="mt-1 font-mono text-xs break-words whitespace-pre-wrap">{previewError}</p>
                    <p className="mt-2 text-xs text-red-700">Fix the SQL and preview again.</p>
                  </div>
                </div>
              ) : previewed ? (
                <>
                  {previewStale ? (
                    <p className="mb-2 text-xs text-amber-700">
                      The SQL changed since this preview: preview again to see its rows.
                    </p>
                  ) : null}
                  <PreviewTable preview={previewed.result} primaryKey={primaryKey} />
                </>
              ) : canWrite ? (
                <p className="rounded-lg bg-zinc-50 px-4 py-6 text-center text-sm text-zinc-500 ring-1 ring-zinc-100 ring-inset">
                  Preview the query to see its first rows and column types, and to pick the primary key from its columns.
                </p>
              ) : null}
            </div>
          </div>
        </Card>

        <Card className="p-6">
          <div className="flex flex-wrap items-start justify-between gap-3">
            <div>
              <h2 className="text-sm font-semibold text-zinc-900">Primary key</h2>
              <p className="mt-0.5 max-w-2xl text-sm text-zinc-500">
                Sluice tells rows apart by this key to find what changed between runs. Every row needs a unique, non-null value;
                pick several columns for a composite key.
              </p>
            </div>
            {canWrite ? (
              <Button
                variant="secondary"
                onClick={runCheck}
                loading={check.isPending}
                disabled={primaryKey.length === 0 || !query.trim()}
              >
                {check.isPending ? null : <ShieldCheck className="size-4" aria-hidden />} Check key
              </Button>
            ) : null}
          </div>
          <div className="mt-4">
            {keyColumns.length > 0 ? (
              <PrimaryKeyChips
                columns={keyColumns}
                value={primaryKey}
                onToggle={(c) => setPrimaryKey((k) => togglePrimaryKey(k, c))}
                disabled={!canWrite}
              />
            ) : (
              <p className="text-sm text-zinc-400">Preview the query to pick from its columns.</p>
            )}
            {lostKeyColumns.length > 0 ? (
              <p className="mt-2 text-xs text-red-600">
                The query no longer returns {lostKeyColumns.map((c) => `"${c}"`).join(", ")}: pick the key again.
              </p>
            ) : null}
            {fieldErrors.primaryKey ? <p className="mt-2 text-xs text-red-600">{fieldErrors.primaryKey.join(" ")}</p> : null}
          </div>
          <div className="mt-4">
            {check.isPending ? (
              <WorkingBar label="Counting null and duplicated keys in the warehouse" />
            ) : checkError ? (
              <FormAlert>{checkError}</FormAlert>
            ) : checked ? (
              <KeyCheckResult check={checked.result} stale={keyCheck === null} />
            ) : null}
          </div>
        </Card>

        {canWrite ? (
          <div className="flex flex-wrap items-center justify-end gap-3">
            {formError ? (
              <div className="mr-auto">
                <FormAlert>{formError}</FormAlert>
              </div>
            ) : savedAt && !dirty ? (
              <span role="status" className="mr-auto inline-flex items-center gap-1.5 text-sm text-emerald-700">
                <CheckCircle2 className="size-4" aria-hidden /> Saved
              </span>
            ) : missing ? (
              <span className="mr-auto text-sm text-zinc-500">Add {missing} to save.</span>
            ) : keyCheck && !keyCheck.ok ? (
              <span className="mr-auto text-sm text-amber-700">
                Saving is allowed, but runs would reject the {keyCheck.rejectedRows.toLocaleString()} rows this key does not tell
                apart.
              </span>
            ) : !keyCheck && dirty ? (
              <span className="mr-auto text-sm text-zinc-500">Tip: check the key first, so no row is rejected later.</span>
            ) : null}
            {initial && dirty ? <Badge tone="amber">Unsaved changes</Badge> : null}
            <Button onClick={save} loading={saving} disabled={missing !== null || !dirty}>
              {initial ? "Save changes" : "Save model"}
            </Button>
          </div>
        ) : null}
      </div>

      <Dialog
        open={confirmDelete}
        onClose={() => setConfirmDelete(false)}
        title={`Delete ${initial?.name ?? "this model"}?`}
        description="Its SQL and key are forgotten. Syncs that use this model must be deleted first."
      >
        {remove.error ? <FormAlert>{remove.error.message}</FormAlert> : null}
        <div className="mt-4 flex justify-end gap-3">
          <Button variant="secondary" onClick={() => setConfirmDelete(false)}>
            Cancel
          </Button>
          <Button variant="danger" loading={remove.isPending} onClick={() => deleteModel().catch(() => undefined)}>
            Delete model
          </Button>
        </div>
      </Dialog>
    </div>
  );
}

function TabButton({
  active,
  onClick,
  icon,
  disabled,
  children,
}: {
  active: boolean;
  onClick: () => void;
  icon: React.ReactNode;
  disabled?: boolean;
  children: React.ReactNode;
}) {
  return (
    <button
      type="button"
      role="tab"
      aria-selected={active}
      onClick={onClick}
      disabled={disabled}
      className={cn(
        "inline-flex items-center gap-1.5 rounded-md px-3 py-1.5 text-sm font-medium transition-colors disabled:cursor-not-allowed disabled:text-zinc-400",
        active ? "bg-white text-zinc-900 shadow-xs" : "text-zinc-600 hover:text-zinc-900",
      )}
    >
      {icon}
      {children}
    </button>
  );
}
