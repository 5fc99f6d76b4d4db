"use client";
// Adding a destination: the catalogue → its settings form (from the connector's schema) → "Test connection"
// as a checklist of the connector's own steps → save. Admins only (the server agrees).
import type { ConnectionCheck } from "@sluice/contracts/connections";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { ArrowLeft } from "lucide-react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { type FormEvent, useState } from "react";
import { useWorkspace } from "@/components/shell/workspace-context";
import { AdminsOnly } from "@/components/sources/admins-only";
import { ConfigFields } from "@/components/sources/config-fields";
import { type ConfigValues, initialValues, toConfig } from "@/components/sources/config-values";
import { ConnectionChecks } from "@/components/sources/connection-checks";
import { connectorIcon } from "@/components/sources/connector-icon";
import { WizardSteps } from "@/components/sources/wizard-steps";
import { Button, buttonClasses } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { FormAlert, TextField } from "@/components/ui/field";
import { PageHeader } from "@/components/ui/page-header";
import { ErrorBlock, LoadingBlock } from "@/components/ui/spinner";
import type { FieldErrors } from "@/lib/field-errors";
import { toFormError } from "@/lib/trpc-errors";
import { useTRPC } from "@/trpc/react";
import { DestinationCatalog } from "./destination-catalog";
import { DestinationDocs } from "./destination-docs";
import type { DestinationType } from "./destination-types";

const STEPS = ["Destination", "Settings", "Test & save"];

export function DestinationWizard({ typeSlug }: { typeSlug: string | null }) {
  const trpc = useTRPC();
  const ws = useWorkspace();
  const catalog = useQuery(trpc.destination.catalog.queryOptions({ workspace: ws.slug }));
  if (!ws.can("destination.write")) {
    return (
      <div>
        <PageHeader title="Add a destination" />
        <AdminsOnly role={ws.role} what="add destinations" />
      </div>
    );
  }
  if (catalog.isPending) return <LoadingBlock />;
  if (catalog.error) return <ErrorBlock message={catalog.error.message} />;
  const base = `/w/${ws.slug}/destinations`;
  const type = typeSlug ? catalog.data.find((t) => t.slug === typeSlug) : undefined;
  if (!type) {
    return (
      <div>
        <PageHeader
          title="Add a destination"
          description="Where synced records go. Pick one to see its settings; you can test the connection before saving."
          actions={
            <Link href={base} className={buttonClasses("ghost")}>
              Cancel
            </Link>
          }
        />
        <WizardSteps steps={STEPS} current={0} />
        {typeSlug ? (
          <div className="mb-4">
            <FormAlert>There is no destination called “{typeSlug}”. Choose one below.</FormAlert>
          </div>
        ) : null}
        <DestinationCatalog types={catalog.data} hrefFor={(slug) => `${base}/new?type=${encodeURIComponent(slug)}`} />
      </div>
    );
  }
  return <Configure key={type.slug} type={type} base={base} />;
}

function Configure({ type, base }: { type: DestinationType; base: string }) {
  const trpc = useTRPC();
  const ws = useWorkspace();
  const router = useRouter();
  const queryClient = useQueryClient();
  const [name, setName] = useState(type.name);
  const [values, setValues] = useState<ConfigValues>(() => initialValues(type.fields));
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [alert, setAlert] = useState<string | null>(null);
  const [checked, setChecked] = useState<{ key: string; check: ConnectionCheck } | null>(null);
  const test = useMutation(trpc.destination.test.mutationOptions());
  const create = useMutation(trpc.destination.create.mutationOptions());
  const config = toConfig(type.fields, values);
  const key = JSON.stringify(config);
  const stale = checked !== null && checked.key !== key;
  const Icon = connectorIcon(type.slug, "destination");

  function fail(error: unknown) {
    const e = toFormError(error);
    setFieldErrors(e?.fieldErrors ?? {});
    setAlert(e?.message ?? "Something went wrong.");
  }

  function runTest() {
    setFieldErrors({});
    setAlert(null);
    test.mutate(
      { workspace: ws.slug, type: type.slug, config },
      { onSuccess: (check) => setChecked({ key, check }), onError: fail },
    );
  }

  function save(event: FormEvent) {
    event.preventDefault();
    setFieldErrors({});
    setAlert(null);
    create.mutate(
      { workspace: ws.slug, name: name.trim(), type: type.slug, config },
      {
        onSuccess: async (destination) => {
          router.push(`${base}/${destination.id}?created=1`);
          await queryClient.invalidateQueries({ queryKey: trpc.destination.list.queryKey() });
        },
        onError: fail,
      },
    );
  }

  return (
    <div>
      <Link
        href={`${base}/new`}
        className="mb-3 inline-flex items-center gap-1 text-xs font-medium text-zinc-500 hover:text-zinc-800"
      >
        <ArrowLeft className="size-3.5" aria-hidden /> All destinations
      </Link>
      <PageHeader
        title={`Add ${type.name}`}
        description={type.description}
        actions={
          <Link href={`/w/${ws.slug}/destinations`} className={buttonClasses("ghost")}>
            Cancel
          </Link>
        }
      />
      <WizardSteps steps={STEPS} current={checked && !stale ? 2 : 1} />

      <form onSubmit={save} noValidate className="grid items-start gap-6 lg:grid-cols-[minmax(0,1fr)_minmax(0,24rem)]">
        <Card className="p-6">
          <div className="flex items-start gap-3">
            <span className="flex size-10 shrink-0 items-center justify-center rounded-lg bg-brand-50 ring-1 ring-brand-100">
              <Icon className="size-5 text-brand-600" aria-hidden />
            </span>
            <div className="min-w-0">
              <p className="text-sm text-zinc-700">
                Writes{" "}
                {type.objects.map((o, i) => (
                  <span key={o.name}>
                    {i > 0 ? ", " : null}
                    <span className="font-medium text-zinc-900">{o.label}</span>
                  </span>
                ))}
              </p>
              <div className="mt-1">
                <DestinationDocs docs={type.docs} />
              </div>
            </div>
          </div>
          {alert ? (
            <div className="mt-5">
              <FormAlert>{alert}</FormAlert>
            </div>
          ) : null}
          <div className="mt-5 max-w-md">
            <TextField
              label="Name"
              value={name}
              onChange={(e) => setName(e.target.value)}
              errors={fieldErrors.name}
              hint="How syncs and the run history refer to it."
            />
          </div>
          <div className="mt-5">
            <ConfigFields
              fields={type.fields}
              values={values}
              onChange={(k, v) => setValues((prev) => ({ ...prev, [k]: v }))}
              errors={fieldErrors}
            />
          </div>
          <div className="mt-6 flex items-center justify-end gap-3 border-t border-zinc-100 pt-5">
            {checked && !stale && !checked.check.ok ? (
              <p className="mr-auto text-xs text-zinc-500">The test failed; you can still save and fix it later.</p>
            ) : !checked || stale ? (
              <p className="mr-auto text-xs text-zinc-500">Test the connection before saving to catch typos now.</p>
            ) : null}
            <Button type="submit" loading={create.isPending}>
              Save destination
            </Button>
          </div>
        </Card>

        <Card className="p-5">
          <ConnectionChecks
            check={checked?.check}
            pending={test.isPending}
            stale={stale}
            idle="Sends a harmless test request with these settings, without saving them."
          />
          <Button variant="secondary" className="mt-4 w-full" onClick={runTest} loading={test.isPending}>
            {test.isPending ? "Testing…" : "Test connection"}
          </Button>
        </Card>
      </form>
    </div>
  );
}
