"use client";
// Adding a source: pick the warehouse → grant a least-privileged role (a generated script) → credentials →
// the connection checks as a checklist, each failure with its fix → save. Admins only (the server agrees).
import type { ConnectionCheck } from "@sluice/contracts/connections";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { ArrowLeft, ArrowRight, BookOpen, RefreshCcw } from "lucide-react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { type FormEvent, useState } from "react";
import { useWorkspace } from "@/components/shell/workspace-context";
import { Button, buttonClasses } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { FormAlert, TextField } from "@/components/ui/field";
import { PageHeader } from "@/components/ui/page-header";
import { ErrorBlock, LoadingBlock } from "@/components/ui/spinner";
import type { FieldErrors } from "@/lib/field-errors";
import { toFormError } from "@/lib/trpc-errors";
import { useTRPC } from "@/trpc/react";
import { AdminsOnly } from "./admins-only";
import { ConfigFields } from "./config-fields";
import { type ConfigValues, initialValues, splitList, toConfig } from "./config-values";
import { ConnectionChecks } from "./connection-checks";
import { connectorIcon } from "./connector-icon";
import { DEFAULT_GRANT_INPUTS, type GrantInputs, PostgresGrantGuide } from "./postgres-grant-guide";
import { WizardSteps } from "./wizard-steps";

const STEPS = ["Warehouse", "Permissions", "Credentials", "Validate"] as const;
/** Warehouses with a generated setup script; others go straight to credentials. */
const HAS_GUIDE = new Set(["postgres"]);

export function SourceWizard() {
  const ws = useWorkspace();
  if (!ws.can("source.write")) {
    return (
      <div>
        <PageHeader title="Add a source" />
        <AdminsOnly role={ws.role} what="add sources" />
      </div>
    );
  }
  return <Wizard />;
}

function Wizard() {
  const trpc = useTRPC();
  const ws = useWorkspace();
  const router = useRouter();
  const queryClient = useQueryClient();
  const types = useQuery(trpc.source.types.queryOptions({ workspace: ws.slug }));
  const [step, setStep] = useState(0);
  const [typeSlug, setTypeSlug] = useState<string | null>(null);
  const [grant, setGrant] = useState<GrantInputs>(DEFAULT_GRANT_INPUTS);
  const [name, setName] = useState("");
  const [values, setValues] = useState<ConfigValues>({});
  const [schemas, setSchemas] = useState("");
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [checked, setChecked] = useState<{ key: string; check: ConnectionCheck } | null>(null);
  const test = useMutation(trpc.source.test.mutationOptions());
  const create = useMutation(
    trpc.source.create.mutationOptions({
      onSuccess: async (source) => {
        await queryClient.invalidateQueries({ queryKey: trpc.source.list.queryKey() });
        router.push(`/w/${ws.slug}/sources/${source.id}?created=1`);
      },
    }),
  );

  const type = types.data?.find((t) => t.slug === typeSlug);
  const fields = type?.fields ?? [];
  const config = toConfig(fields, values);
  const schemaList = splitList(schemas);
  const key = JSON.stringify([config, schemaList]);
  const stale = checked !== null && checked.key !== key;

  function choose(slug: string) {
    const chosen = types.data?.find((t) => t.slug === slug);
    setTypeSlug(slug);
    setValues(initialValues(chosen?.fields ?? []));
    setChecked(null);
    setStep(HAS_GUIDE.has(slug) ? 1 : 2);
  }

  /** The permission step's answers become the form's defaults: same role, database and schemas. */
  function continueFromGuide() {
    setValues((v) => ({
      ...v,
      ...("user" in v ? { user: grant.role.trim() } : {}),
      ...("database" in v ? { database: grant.database.trim() } : {}),
      ...("sluiceSchema" in v ? { sluiceSchema: grant.sluiceSchema.trim() } : {}),
    }));
    setSchemas(grant.schemas);
    if (!name && grant.database.trim()) setName(`${grant.database.trim()} warehouse`);
    setStep(2);
  }

  function validate(event?: FormEvent) {
    event?.preventDefault();
    if (!typeSlug) return;
    setFormError(null);
    if (!name.trim()) {
      setFieldErrors({ name: ["Give it a name"] });
      return;
    }
    setFieldErrors({});
    setStep(3);
    test.mutate(
      { workspace: ws.slug, type: typeSlug, config, schemas: schemaList },
      {
        onSuccess: (check) => setChecked({ key, check }),
        onError: (error) => {
          const e = toFormError(error);
          setFieldErrors(e?.fieldErrors ?? {});
          setFormError(e?.message ?? null);
          setStep(2);
        },
      },
    );
  }

  function save() {
    if (!typeSlug) return;
    create.mutate(
      { workspace: ws.slug, name: name.trim(), type: typeSlug, config },
      {
        onError: (error) => {
          const e = toFormError(error);
          setFieldErrors(e?.fieldErrors ?? {});
          setFormError(e?.message ?? null);
          setStep(2);
        },
      },
    );
  }

  if (types.isPending) return <LoadingBlock />;
  if (types.error) return <ErrorBlock message={types.error.message} />;

  return (
    <div>
      <PageHeader
        title={type ? `Add a ${type.name} source` : "Add a source"}
        description="Sluice reads your models from this warehouse and keeps its own bookkeeping in one schema there."
        actions={
          <Link href={`/w/${ws.slug}/sources`} className={buttonClasses("ghost")}>
            Cancel
          </Link>
        }
      />
      <WizardProgress step={step} skipsGuide={typeSlug !== null && !HAS_GUIDE.has(typeSlug)} />

      {step === 0 ? (
        <Card className="p-6">
          <h2 className="text-base font-semibold text-zinc-900">Which warehouse holds your data?</h2>
          <ul className="mt-4 grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
            {types.data.map((t) => {
              const Icon = connectorIcon(t.slug, "warehouse");
              return (
                <li key={t.slug}>
                  <button
                    type="button"
                    onClick={() => choose(t.slug)}
                    className="flex h-full w-full flex-col items-start gap-3 rounded-xl p-4 text-left ring-1 ring-zinc-200 transition hover:bg-brand-50/40 hover:ring-brand-300 focus-visible:outline-2 focus-visible:outline-brand-600"
                  >
                    <span className="flex size-10 items-center justify-center rounded-lg bg-brand-50 ring-1 ring-brand-100">
                      <Icon className="size-5 text-brand-600" aria-hidden />
                    </span>
                    <span className="text-sm font-semibold text-zinc-900">{t.name}</span>
                    <span className="text-sm text-zinc-500">{t.description}</span>
                  </button>
                </li>
              );
            })}
          </ul>
        </Card>
      ) : null}

      {step === 1 && type ? (
        <Card className="p-6">
          <h2 className="text-base font-semibold text-zinc-900">Give Sluice a role of its own</h2>
          <p className="mt-1 mb-5 max-w-3xl text-sm text-zinc-500">
            Sluice only needs to read the schemas your models use and to write in one schema of its own. Fill in the names and run
            the script; every statement says why it is there. Already have such a role? Continue with its name.
          </p>
          <PostgresGrantGuide inputs={grant} onChange={setGrant} />
          <div className="mt-6 flex items-center justify-between border-t border-zinc-100 pt-5">
            <Button variant="ghost" onClick={() => setStep(0)}>
              <ArrowLeft className="size-4" aria-hidden /> Back
            </Button>
            <Button onClick={continueFromGuide}>
              Continue to credentials <ArrowRight className="size-4" aria-hidden />
            </Button>
          </div>
        </Card>
      ) : null}

      {step === 2 && type ? (
        <Card className="p-6">
          <form onSubmit={validate} noValidate>
            <div className="flex flex-wrap items-start justify-between gap-3">
              <div>
                <h2 className="text-base font-semibold text-zinc-900">Connect to {type.name}</h2>
                <p className="mt-1 text-sm text-zinc-500">Secrets are encrypted before they are stored and never shown again.</p>
              </div>
              {type.docsUrl ? (
                <a
                  href={type.docsUrl}
                  target="_blank"
                  rel="noreferrer"
                  className="inline-flex items-center gap-1 text-xs font-medium text-brand-700 hover:text-brand-800"
                >
                  <BookOpen className="size-3.5" aria-hidden /> Connection docs
                </a>
              ) : null}
            </div>
            {formError ? (
              <div className="mt-4">
                <FormAlert>{formError}</FormAlert>
              </div>
            ) : null}
            <div className="mt-5 max-w-md">
              <TextField
                label="Name"
                value={name}
                onChange={(e) => setName(e.target.value)}
                errors={fieldErrors.name}
                placeholder="Production warehouse"
                hint="How this source is called in Sluice."
              />
            </div>
            <div className="mt-5">
              <ConfigFields
                fields={fields}
                values={values}
                onChange={(k, v) => setValues((prev) => ({ ...prev, [k]: v }))}
                errors={fieldErrors}
                collapsed={fields.some((f) => f.key === "connectionString") ? ["connectionString"] : []}
                collapsedLabel="Connect with a URL instead"
              />
            </div>
            <div className="mt-5 max-w-md">
              <TextField
                label="Schemas to check (optional)"
                value={schemas}
                onChange={(e) => setSchemas(e.target.value)}
                errors={errorsUnder(fieldErrors, "schemas")}
                hint="Validation proves Sluice can read these. Comma-separated; leave empty to list what the role can see."
                spellCheck={false}
              />
            </div>
            <div className="mt-6 flex items-center justify-between border-t border-zinc-100 pt-5">
              <Button variant="ghost" onClick={() => setStep(HAS_GUIDE.has(type.slug) ? 1 : 0)}>
                <ArrowLeft className="size-4" aria-hidden /> Back
              </Button>
              <Button type="submit">
                Validate <ArrowRight className="size-4" aria-hidden />
              </Button>
            </div>
          </form>
        </Card>
      ) : null}

      {step === 3 && type ? (
        <Card className="p-6">
          <h2 className="text-base font-semibold text-zinc-900">Validate “{name.trim()}”</h2>
          <p className="mt-1 mb-5 text-sm text-zinc-500">
            The same things a sync does, in order: connect, read your schemas, create and write a scratch table in Sluice's schema
            (rolled back), run a query.
          </p>
          <ConnectionChecks
            check={checked?.check}
            pending={test.isPending}
            stale={stale}
            idle="Run the checks to see whether Sluice can use this warehouse."
          />
          <div className="mt-6 flex flex-wrap items-center justify-between gap-3 border-t border-zinc-100 pt-5">
            <Button variant="ghost" onClick={() => setStep(2)} disabled={test.isPending}>
              <ArrowLeft className="size-4" aria-hidden /> Back to credentials
            </Button>
            <div className="flex items-center gap-3">
              <Button variant="secondary" onClick={() => validate()} loading={test.isPending}>
                {test.isPending ? null : <RefreshCcw className="size-4" aria-hidden />} Run checks again
              </Button>
              {checked && !stale && checked.check.ok ? (
                <Button onClick={save} loading={create.isPending}>
                  Save source
                </Button>
              ) : (
                <Button
                  variant="secondary"
                  onClick={save}
                  loading={create.isPending}
                  disabled={test.isPending}
                  title="Save these settings even though the checks did not pass"
                >
                  Save anyway
                </Button>
              )}
            </div>
          </div>
        </Card>
      ) : null}
    </div>
  );
}

/** Errors of a list field and of its items (`schemas`, `schemas.0`, …). */
function errorsUnder(errors: FieldErrors, key: string): string[] | undefined {
  const found = Object.entries(errors)
    .filter(([k]) => k === key || k.startsWith(`${key}.`))
    .flatMap(([, v]) => v);
  return found.length > 0 ? found : undefined;
}

function WizardProgress({ step, skipsGuide }: { step: number; skipsGuide: boolean }) {
  // A warehouse without a setup script has no Permissions step.
  const labels = skipsGuide ? STEPS.filter((s) => s !== "Permissions") : [...STEPS];
  const current = skipsGuide && step > 1 ? step - 1 : step;
  return <WizardSteps steps={labels} current={current} />;
}
