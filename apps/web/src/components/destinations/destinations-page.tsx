"use client";
import { useQuery } from "@tanstack/react-query";
import { Plus, Send } from "lucide-react";
import Link from "next/link";
import { useWorkspace } from "@/components/shell/workspace-context";
import { ConnectionCards } from "@/components/sources/connection-cards";
import { buttonClasses } from "@/components/ui/button";
import { PageHeader } from "@/components/ui/page-header";
import { ErrorBlock, LoadingBlock } from "@/components/ui/spinner";
import { LoadDemoButton } from "@/components/workspace/load-demo-button";
import { useTRPC } from "@/trpc/react";

export function DestinationsPage() {
  const trpc = useTRPC();
  const ws = useWorkspace();
  const destinations = useQuery(trpc.destination.list.queryOptions({ workspace: ws.slug }));
  const catalog = useQuery(trpc.destination.catalog.queryOptions({ workspace: ws.slug }));
  const canWrite = ws.can("destination.write");
  const add = canWrite ? (
    <Link href={`/w/${ws.slug}/destinations/new`} className={buttonClasses()}>
      <Plus className="size-4" aria-hidden /> Add destination
    </Link>
  ) : null;
  return (
    <div>
      <PageHeader
        title="Destinations"
        description="The tools your syncs deliver records to. Secrets are encrypted at rest and never shown again."
        actions={destinations.data && destinations.data.length > 0 ? add : null}
      />
      {!canWrite ? (
        <p className="mb-4 text-xs text-zinc-500">
          Your role ({ws.role}) can see destinations; admins and owners add and change them.
        </p>
      ) : null}
      {destinations.isPending ? (
        <LoadingBlock />
      ) : destinations.error ? (
        <ErrorBlock message={destinations.error.message} />
      ) : (
        <ConnectionCards
          items={destinations.data}
          kind="destination"
          typeNames={Object.fromEntries((catalog.data ?? []).map((t) => [t.slug, t.name]))}
          hrefFor={(d) => `/w/${ws.slug}/destinations/${d.id}`}
          openLabel={canWrite ? "Edit" : "View"}
          empty={{
            icon: Send,
            title: "No destinations yet",
            text: canWrite
              ? `A destination is where synced records go: a CRM, a marketing tool, a database, a webhook. Choose from ${
                  catalog.data ? `${catalog.data.length} in the catalogue` : "the catalogue"
                }, or load the demo for “Demo inbox”, a destination that simply shows what it receives.`
              : "A destination is where synced records go. An admin of this workspace can add one.",
            actions: canWrite ? (
              <>
                {add}
                <LoadDemoButton variant="secondary" />
              </>
            ) : null,
          }}
        />
      )}
    </div>
  );
}
