"use client";
import type { ConnectorField } from "@sluice/connectors/kit/describe-fields";
// A saved source or destination: its settings (secrets masked — left alone they are kept, typed over they are
// replaced), the connection checks, save and delete. Editors and viewers see it read-only; the server refuses
// their writes anyway. The caller supplies the tRPC calls, so sources and destinations share this screen.
import type { ConnectionCheck } from "@sluice/contracts/connections";
import { ArrowLeft, CircleCheck, Trash2 } from "lucide-react";
import Link from "next/link";
import { type FormEvent, type ReactNode, useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Dialog } from "@/components/ui/dialog";
import { FormAlert, TextField } from "@/components/ui/field";
import { PageHeader } from "@/components/ui/page-header";
import type { FieldErrors } from "@/lib/field-errors";
import { formatDateTime } from "@/lib/format";
import { toFormError } from "@/lib/trpc-errors";
import { ConfigFields } from "./config-fields";
import { type ConfigValues, initialValues, toConfig } from "./config-values";
import { ConnectionChecks } from "./connection-checks";

export interface SavedConnection {
  id: string;
  name: string;
  type: string;
  config: Record<string, unknown>;
  createdAt: Date | string;
}

export interface ConnectionEditorProps {
  noun: "source" | "destination";
  listHref: string;
  listLabel: string;
  item: SavedConnection;
  typeName: string;
  fields: ConnectorField[];
  role: string;
  canWrite: boolean;
  created: boolean;
  /** Runs the check on the form's config (masked secrets fall back to the stored ones on the server). */
  test: (config: Record<string, unknown>) => Promise<ConnectionCheck>;
  save: (input: { name: string; config: Record<string, unknown> }) => Promise<SavedConnection>;
  remove: () => Promise<unknown>;
  deleteWarning: string;
  /** Extra inputs for the check (e.g. schemas to read), and a key that changes with them. */
  checkInputs?: ReactNode;
  checkInputsKey?: string;
  collapsed?: string[];
  collapsedLabel?: string;
  /** Shown under the header: e.g. what a destination writes. */
  details?: ReactNode;
}

export function ConnectionEditor(p: ConnectionEditorProps) {
  const [name, setName] = useState(p.item.name);
  const [values, setValues] = useState<ConfigValues>(() => initialValues(p.fields, p.item.config));
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [alert, setAlert] = useState<string | null>(null);
  const [checked, setChecked] = useState<{ key: string; check: ConnectionCheck } | null>(null);
  const [testing, setTesting] = useState(false);
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState(p.created);
  const [deleting, setDeleting] = useState(false);
  const [deleteError, setDeleteError] = useState<string | null>(null);
  const [removing, setRemoving] = useState(false);
  const config = toConfig(p.fields, values);
  const key = JSON.stringify([config, p.checkInputsKey ?? ""]);
  const Noun = p.noun === "source" ? "Source" : "Destination";

  function fail(error: unknown) {
    const e = toFormError(error);
    setFieldErrors(e?.fieldErrors ?? {});
    setAlert(e?.message ?? "Something went wrong.");
  }

  async function runTest() {
    setFieldErrors({});
    setAlert(null);
    setTesting(true);
    try {
      setChecked({ key, check: await p.test(config) });
    } catch (error) {
      fail(error);
    } finally {
      setTesting(false);
    }
  }

  async function save(event: FormEvent) {
    event.preventDefault();
    setFieldErrors({});
    setAlert(null);
    setSaved(false);
    setSaving(true);
    try {
      const view = await p.save({ name: name.trim(), config });
      // Start again from what the server stored: secrets come back masked, never as values.
      setName(view.name);
      setValues(initialValues(p.fields, view.config));
      setSaved(true);
    } catch (error) {
      fail(error);
    } finally {
      setSaving(false);
    }
  }

  async function remove() {
    setDeleteError(null);
    setRemoving(true);
    try {
      await p.remove();
    } catch (error) {
      setDeleteError(toFormError(error)?.message ?? "Something went wrong.");
      setRemoving(false);
    }
  }

  return (
    <div>
      <Link
        href={p.listHref}
        className="mb-3 inline-flex items-center gap-1 text-xs font-medium text-zinc-500 hover:text-zinc-800"
      >
        <ArrowLeft className="size-3.5" aria-hidden /> {p.listLabel}
      </Link>
      <PageHeader
        title={p.item.name}
        description={`${p.typeName} ${p.noun} · added ${formatDateTime(p.item.createdAt)}`}
        actions={
          p.canWrite ? (
            <Button variant="secondary" onClick={() => setDeleting(true)}>
              <Trash2 className="size-4" aria-hidden /> Delete
            </Button>
          ) : (
            <Badge>Read-only</Badge>
          )
        }
      />
      {saved ? (
        <div
          role="status"
          className="mb-4 flex items-center gap-2 rounded-lg bg-emerald-50 px-4 py-2.5 text-sm text-emerald-800 ring-1 ring-emerald-200 ring-inset"
        >
          <CircleCheck className="size-4 text-emerald-600" aria-hidden /> {Noun} saved. Secrets are stored encrypted and only ever
          shown masked.
        </div>
      ) : null}
      {!p.canWrite ? (
        <p className="mb-4 text-sm text-zinc-500">
          Your role ({p.role}) can see this {p.noun}; only admins and owners can change, test or delete it.
        </p>
      ) : null}
      {p.details}

      <div className="grid items-start gap-6 lg:grid-cols-[minmax(0,1fr)_minmax(0,24rem)]">
        <Card className="p-6">
          <form onSubmit={save} noValidate>
            {alert ? (
              <div className="mb-4">
                <FormAlert>{alert}</FormAlert>
              </div>
            ) : null}
            <div className="max-w-md">
              <TextField
                label="Name"
                value={name}
                disabled={!p.canWrite}
                onChange={(e) => setName(e.target.value)}
                errors={fieldErrors.name}
              />
            </div>
            <div className="mt-5">
              <ConfigFields
                fields={p.fields}
                values={values}
                onChange={(k, v) => {
                  setSaved(false);
                  setValues((prev) => ({ ...prev, [k]: v }));
                }}
                errors={fieldErrors}
                disabled={!p.canWrite}
                collapsed={p.collapsed}
                collapsedLabel={p.collapsedLabel}
              />
            </div>
            {p.canWrite ? (
              <div className="mt-6 flex justify-end border-t border-zinc-100 pt-5">
                <Button type="submit" loading={saving}>
                  Save changes
                </Button>
              </div>
            ) : null}
          </form>
        </Card>

        <Card className="p-5">
          <ConnectionChecks
            check={checked?.check}
            pending={testing}
            stale={checked !== null && checked.key !== key}
            idle={
              p.canWrite
                ? "Run the checks with the settings on the left, saved or not. Masked secrets use the stored values."
                : "Admins can run the connection checks."
            }
          />
          {p.canWrite ? (
            <div className="mt-4 space-y-3">
              {p.checkInputs}
              <Button variant="secondary" className="w-full" onClick={runTest} loading={testing}>
                {testing ? "Checking…" : "Test connection"}
              </Button>
            </div>
          ) : null}
        </Card>
      </div>

      <Dialog
        open={deleting}
        onClose={() => {
          setDeleting(false);
          setDeleteError(null);
        }}
        title={`Delete “${p.item.name}”?`}
        description={p.deleteWarning}
      >
        {deleteError ? <FormAlert>{deleteError}</FormAlert> : null}
        <div className="mt-4 flex justify-end gap-3">
          <Button variant="secondary" onClick={() => setDeleting(false)}>
            Cancel
          </Button>
          <Button variant="danger" loading={removing} onClick={remove}>
            Delete {p.noun}
          </Button>
        </div>
      </Dialog>
    </div>
  );
}
