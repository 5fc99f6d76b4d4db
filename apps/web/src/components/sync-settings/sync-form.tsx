"use client";
// A new sync, or a saved one's settings: the model and the destination (and its object), the visual mapper
// with its live checks, payload preview and test send, the mode, the schedule and the on/off switch. Save is
// held back while the checks find errors. Viewers see it all read-only.
import type { ModelColumn } from "@sluice/contracts/mapper";
import { MappingSchema } from "@sluice/contracts/mapping";
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { CheckCircle2, Plus } from "lucide-react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { type ReactNode, useMemo, useState } from "react";
import { DataMapper, useMappingIssues } from "@/components/mapper/data-mapper";
import { countBlocking, type DraftRow, specFromRows } from "@/components/mapper/mapping-draft";
import { PayloadPreview } from "@/components/mapper/payload-preview";
import { TestSendPanel } from "@/components/mapper/test-send-panel";
import { useDebouncedValue } from "@/components/mapper/use-debounced-value";
import { ReadOnlyNotice } from "@/components/models/read-only-notice";
import { useWorkspace } from "@/components/shell/workspace-context";
import { Badge } from "@/components/ui/badge";
import { Button, buttonClasses } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { FormAlert, SelectField, TextField } from "@/components/ui/field";
import { LoadingBlock } from "@/components/ui/spinner";
import type { FieldErrors } from "@/lib/field-errors";
import { toFormError } from "@/lib/trpc-errors";
import { useTRPC, useTRPCClient } from "@/trpc/react";
import { ModePicker } from "./mode-picker";
import { RunControls } from "./run-controls";
import { EnabledSwitch, ScheduleEditor, useSchedulePreview } from "./schedule-editor";
import {
  defaultSyncName,
  draftFromSync,
  effectiveMode,
  emptyDraft,
  hasChanges,
  resyncingChanges,
  type SavedSync,
  type SyncDraft,
  scheduleInputOf,
} from "./sync-draft";

const PREVIEW_ROWS = 5;
const PREVIEW_DEBOUNCE_MS = 400;

export function SyncForm({
  saved,
  syncId,
  initialModelId,
  created = false,
}: {
  saved: SavedSync | null;
  syncId?: string;
  initialModelId?: string;
  created?: boolean;
}) {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const ws = useWorkspace();
  const router = useRouter();
  const queryClient = useQueryClient();
  const canWrite = ws.can("sync.write");
  // Sampling the model's rows runs its SQL on the warehouse: an editor's step, like changing a model.
  const canQuery = ws.can("model.write");

  const models = useQuery(trpc.model.list.queryOptions({ workspace: ws.slug }));
  const destinations = useQuery(trpc.destination.list.queryOptions({ workspace: ws.slug }));
  const catalog = useQuery(trpc.destination.catalog.queryOptions({ workspace: ws.slug }));
  const [draft, setDraft] = useState<SyncDraft>(() => (saved ? draftFromSync(saved) : emptyDraft({ modelId: initialModelId })));
  const [nameEdited, setNameEdited] = useState(saved !== null);
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [savedNote, setSavedNote] = useState<string | null>(null);
  const create = useMutation(trpc.sync.create.mutationOptions());
  const update = useMutation(trpc.sync.update.mutationOptions());
  const set = (change: Partial<SyncDraft>) => {
    setDraft((d) => ({ ...d, ...change }));
    setSavedNote(null);
  };

  const model = models.data?.find((m) => m.id === draft.modelId);
  const destination = destinations.data?.find((d) => d.id === draft.destinationId);
  const objects = catalog.data?.find((t) => t.slug === destination?.type)?.objects ?? [];
  // A destination that writes several objects needs one named; the first is the default.
  const object = objects.length > 1 ? (draft.object ?? objects[0]?.name ?? null) : draft.object;
  const objectView = useQuery({
    ...trpc.mapper.object.queryOptions({ workspace: ws.slug, destinationId: draft.destinationId, object }),
    enabled: draft.destinationId !== "" && catalog.isSuccess,
  });
  const modes = objectView.data?.modes ?? [];
  const mode = effectiveMode(
    draft.mode,
    modes.map((m) => m.mode),
  );
  const name = nameEdited ? draft.name : draft.name || defaultSyncName(model?.name, destination?.name);

  const draftSpec = useMemo(() => specFromRows(draft.rows), [draft.rows]);
  // Entries the checks flag as invalid (a path like "a..b") stay out of the sample, so the rest still previews.
  const previewable = useMemo(() => draftSpec.spec.filter((m) => MappingSchema.safeParse(m).success), [draftSpec.spec]);
  const previewSpec = useDebouncedValue(previewable, PREVIEW_DEBOUNCE_MS);
  const previewReady = canQuery && draft.modelId !== "" && draft.destinationId !== "" && objectView.isSuccess;
  const preview = useQuery({
    queryKey: ["sluice", "mapper-preview", ws.slug, draft.modelId, draft.destinationId, object, previewSpec],
    queryFn: () =>
      client.mapper.preview.mutate({
        workspace: ws.slug,
        modelId: draft.modelId,
        destinationId: draft.destinationId,
        object,
        mappings: previewSpec,
        limit: PREVIEW_ROWS,
      }),
    enabled: previewReady,
    retry: false,
    staleTime: 60_000,
    // The previous answer stays while the next loads, unless the model changed (its columns would mislead).
    placeholderData: (previous, query) => (query?.queryKey[3] === draft.modelId ? keepPreviousData(previous) : undefined),
  });
  const columns: ModelColumn[] | null = preview.data?.columns ?? null;
  const issues = useMappingIssues(draftSpec, columns, objectView.data, mode);
  const blocking = countBlocking(issues, draftSpec.problems);
  const schedulePreview = useSchedulePreview(draft.schedule);
  const scheduleBad = schedulePreview.data?.ok === false;

  const dirty = saved ? hasChanges({ ...draft, name, mode }, saved) : true;
  const resyncing = saved ? resyncingChanges({ ...draft, mode }, saved) : [];
  const missing = !draft.modelId
    ? "Choose a model"
    : !draft.destinationId
      ? "Choose a destination"
      : !name.trim()
        ? "Name the sync"
        : draftSpec.spec.length === 0 && draftSpec.problems.length === 0
          ? "Map at least one field"
          : null;
  const saveBlocked =
    missing ??
    (blocking > 0
      ? `Fix ${blocking} error${blocking === 1 ? "" : "s"} in the mapping to save`
      : scheduleBad
        ? "Fix the schedule to save"
        : !mode
          ? "Choose a mode"
          : null);

  async function save() {
    if (!mode) return;
    setFormError(null);
    setFieldErrors({});
    const settings = {
      workspace: ws.slug,
      name: name.trim(),
      modelId: draft.modelId,
      destinationId: draft.destinationId,
      object,
      mode,
      mappings: draftSpec.spec,
      schedule: scheduleInputOf(draft.schedule),
      enabled: draft.enabled,
    };
    try {
      if (saved && syncId) {
        await update.mutateAsync({ ...settings, id: syncId });
        setDraft((d) => ({ ...d, name: name.trim(), mode }));
        setSavedNote(
          resyncing.length > 0 ? `Saved. The next run is a full resync: the ${resyncing.join(", ")} changed.` : "Saved.",
        );
        await queryClient.invalidateQueries({ queryKey: trpc.sync.pathKey() });
      } else {
        const made = await create.mutateAsync(settings);
        await queryClient.invalidateQueries({ queryKey: trpc.sync.pathKey() });
        await queryClient.invalidateQueries({ queryKey: trpc.workspace.summary.queryKey() });
        router.push(`/w/${ws.slug}/syncs/${made.id}/settings?created=1`);
      }
    } catch (error) {
      const e = toFormError(error);
      setFieldErrors(e?.fieldErrors ?? {});
      setFormError(e?.message ?? null);
    }
  }

  if (models.isPending || destinations.isPending || catalog.isPending) return <LoadingBlock />;
  if (models.error) return <FormAlert>{models.error.message}</FormAlert>;
  if (destinations.error) return <FormAlert>{destinations.error.message}</FormAlert>;
  if (catalog.error) return <FormAlert>{catalog.error.message}</FormAlert>;

  const readOnly = !canWrite;
  const objectLabel = objectView.data?.object.label ?? "records";
  const testInput =
    canWrite && ws.can("sync.run") && mode && draftSpec.spec.length > 0 && draftSpec.problems.length === 0
      ? { modelId: draft.modelId, destinationId: draft.destinationId, object, mode, mappings: draftSpec.spec }
      : null;

  return (
    <div className="space-y-5 pb-8">
      {created ? (
        <div
          role="status"
          className="flex items-center gap-2 rounded-xl bg-emerald-50 px-5 py-3 text-sm text-emerald-900 ring-1 ring-emerald-200"
        >
          <CheckCircle2 className="size-4 text-emerald-600" aria-hidden /> Sync created.{" "}
          {draft.schedule.kind === "manual" ? "Run it now, or give it a schedule." : "It runs on its schedule; or run it now."}
        </div>
      ) : null}
      {readOnly ? (
        <ReadOnlyNotice role={ws.role}>
          Viewers can see how this sync maps and when it runs. Changing its settings, sending test rows and starting runs need the
          editor role; sample payloads need it too, because they run the model's SQL on the warehouse.
        </ReadOnlyNotice>
      ) : null}
      {saved && syncId && destination ? <RunControls syncId={syncId} destinationName={destination.name} unsaved={dirty} /> : null}

      <Section step={1} title="Rows and destination" description="Which model's rows this sync sends, and where.">
        <div className="grid gap-5 sm:grid-cols-2">
          <div>
            <SelectField
              label="Model"
              value={draft.modelId}
              onChange={(e) => set({ modelId: e.target.value })}
              disabled={readOnly}
              errors={fieldErrors.modelId}
            >
              <option value="">Choose a model…</option>
              {models.data.map((m) => (
                <option key={m.id} value={m.id}>
                  {m.name}
                </option>
              ))}
            </SelectField>
            {model ? (
              <p className="mt-1.5 text-xs text-zinc-500">
                From {model.sourceName} · key <span className="font-mono">{model.primaryKey.join(", ")}</span> ·{" "}
                <Link href={`/w/${ws.slug}/models/${model.id}`} className="text-brand-700 hover:text-brand-800">
                  open model
                </Link>
              </p>
            ) : models.data.length === 0 && canWrite ? (
              <Link
                href={`/w/${ws.slug}/models/new`}
                className="mt-1.5 inline-flex items-center gap-1 text-xs font-medium text-brand-700"
              >
                <Plus className="size-3.5" aria-hidden /> Create a model first
              </Link>
            ) : null}
          </div>
          <div>
            <SelectField
              label="Destination"
              value={draft.destinationId}
              onChange={(e) => set({ destinationId: e.target.value, object: null })}
              disabled={readOnly}
              errors={fieldErrors.destinationId}
            >
              <option value="">Choose a destination…</option>
              {destinations.data.map((d) => (
                <option key={d.id} value={d.id}>
                  {d.name}
                </option>
              ))}
            </SelectField>
            {destinations.data.length === 0 ? (
              <p className="mt-1.5 text-xs text-zinc-500">
                No destinations yet: an admin adds them under{" "}
                <Link href={`/w/${ws.slug}/destinations`} className="text-brand-700">
                  Destinations
                </Link>
                .
              </p>
            ) : null}
          </div>
          {objects.length > 1 ? (
            <SelectField
              label="Object"
              value={object ?? ""}
              onChange={(e) => set({ object: e.target.value })}
              disabled={readOnly}
              hint={`What this sync writes in ${destination?.name ?? "the destination"}.`}
              errors={fieldErrors.object}
            >
              {objects.map((o) => (
                <option key={o.name} value={o.name}>
                  {o.label}
                </option>
              ))}
            </SelectField>
          ) : null}
          <TextField
            label="Sync name"
            value={name}
            onChange={(e) => {
              setNameEdited(true);
              set({ name: e.target.value });
            }}
            disabled={readOnly}
            errors={fieldErrors.name}
            placeholder="Customers to HubSpot"
            hint="Used in the run history and by the CLI."
          />
        </div>
      </Section>

      <Section
        step={2}
        title="Map fields"
        description={
          objectView.data?.freeForm
            ? `${objectView.data.destinationName} takes any fields: name each one (dot paths nest, e.g. traits.plan).`
            : "Give each destination field a column or a constant. Identifier and required fields must be mapped."
        }
        aside={
          objectView.data && draft.modelId ? (
            blocking > 0 ? (
              <Badge tone="red">
                {blocking} error{blocking === 1 ? "" : "s"}
              </Badge>
            ) : issues.length > 0 ? (
              <Badge tone="amber">
                {issues.length} warning{issues.length === 1 ? "" : "s"}
              </Badge>
            ) : draftSpec.spec.length > 0 ? (
              <Badge tone="green">No issues</Badge>
            ) : null
          ) : null
        }
      >
        {!draft.modelId || !draft.destinationId ? (
          <p className="rounded-lg bg-zinc-50 px-4 py-6 text-center text-sm text-zinc-500 ring-1 ring-zinc-100 ring-inset">
            Choose a model and a destination to map the model's columns to the destination's fields.
          </p>
        ) : objectView.isPending ? (
          <LoadingBlock label="Reading the destination's fields…" />
        ) : objectView.error ? (
          <FormAlert>{objectView.error.message}</FormAlert>
        ) : (
          <div className="space-y-4">
            <DataMapper
              object={objectView.data}
              columns={columns}
              columnsNote={
                !canQuery ? (
                  "Listing the model's columns runs its SQL on the warehouse, which needs the editor role. The mapped columns show in each field."
                ) : preview.error ? (
                  <span className="text-red-700">{preview.error.message}</span>
                ) : (
                  "Reading the model's columns…"
                )
              }
              rows={draft.rows}
              draft={draftSpec}
              issues={issues}
              onChange={(rows: DraftRow[]) => set({ rows })}
              readOnly={readOnly}
            />
            <PayloadPreview
              preview={preview.data}
              fetching={preview.isFetching}
              error={preview.error?.message ?? null}
              unavailable={
                canQuery ? undefined : "Sample payloads run the model's SQL on the warehouse, which needs the editor role."
              }
            />
            {canWrite ? (
              <TestSendPanel
                input={testInput}
                blockedReason={
                  !ws.can("sync.run")
                    ? "Sending a test row needs the editor role."
                    : draftSpec.spec.length === 0
                      ? "Map at least one field to send a test row."
                      : draftSpec.problems.length > 0
                        ? "Finish the incomplete fields to send a test row."
                        : undefined
                }
                sampleKeys={preview.data?.samples.map((s) => s.key) ?? []}
                destinationName={destination?.name ?? "the destination"}
              />
            ) : null}
          </div>
        )}
      </Section>

      <Section step={3} title="Mode" description={`What each run does to ${objectLabel.toLowerCase()} in the destination.`}>
        {modes.length > 0 ? (
          <ModePicker modes={modes} value={mode} onChange={(m) => set({ mode: m })} readOnly={readOnly} />
        ) : (
          <p className="text-sm text-zinc-500">Choose a destination to see the modes it supports.</p>
        )}
      </Section>

      <Section step={4} title="Schedule" description="When runs start on their own. Times are in UTC.">
        <ScheduleEditor
          draft={draft.schedule}
          onChange={(schedule) => set({ schedule })}
          preview={schedulePreview}
          readOnly={readOnly}
        />
        <div className="mt-5 border-t border-zinc-100 pt-4">
          <EnabledSwitch enabled={draft.enabled} onChange={(enabled) => set({ enabled })} readOnly={readOnly} />
        </div>
      </Section>

      {canWrite ? (
        <div className="rounded-xl bg-white px-5 py-3 shadow-xs ring-1 ring-zinc-200" data-testid="save-bar">
          <div className="flex flex-wrap items-center justify-end gap-3">
            <div className="mr-auto min-w-0 text-sm">
              {formError ? (
                <FormAlert>{formError}</FormAlert>
              ) : savedNote && !dirty ? (
                <span role="status" className="inline-flex items-center gap-1.5 text-emerald-700" data-testid="saved-note">
                  <CheckCircle2 className="size-4" aria-hidden />
                  {savedNote}
                </span>
              ) : saveBlocked ? (
                <span className="text-zinc-500" data-testid="save-blocked">
                  {saveBlocked}.
                </span>
              ) : saved && resyncing.length > 0 ? (
                <span className="text-amber-700">Changing the {resyncing.join(", ")} makes the next run a full resync.</span>
              ) : saved && dirty ? (
                <Badge tone="amber">Unsaved changes</Badge>
              ) : null}
            </div>
            {saved ? null : (
              <Link href={`/w/${ws.slug}/syncs`} className={buttonClasses("ghost")}>
                Cancel
              </Link>
            )}
            <Button
              onClick={save}
              loading={create.isPending || update.isPending}
              disabled={saveBlocked !== null || (saved !== null && !dirty)}
            >
              {saved ? "Save changes" : "Create sync"}
            </Button>
          </div>
        </div>
      ) : null}
    </div>
  );
}

function Section({
  step,
  title,
  description,
  aside,
  children,
}: {
  step: number;
  title: string;
  description: string;
  aside?: ReactNode;
  children: ReactNode;
}) {
  return (
    <Card className="p-6" aria-labelledby={`section-${step}`}>
      <div className="mb-5 flex items-start justify-between gap-4">
        <div className="flex items-start gap-3">
          <span className="flex size-6 shrink-0 items-center justify-center rounded-full bg-brand-50 text-xs font-semibold text-brand-700 ring-1 ring-brand-200">
            {step}
          </span>
          <div>
            <h2 id={`section-${step}`} className="text-base font-semibold text-zinc-900">
              {title}
            </h2>
            <p className="mt-0.5 text-sm text-zinc-500">{description}</p>
          </div>
        </div>
        {aside}
      </div>
      {children}
    </Card>
  );
}
