"use client";
import { useQuery } from "@tanstack/react-query";
import { Database, Plus } from "lucide-react";
import Link from "next/link";
import { useWorkspace } from "@/components/shell/workspace-context";
import { buttonClasses } from "@/components/ui/button";
import { PageHeader } from "@/components/ui/page-header";
import { ErrorBlock, LoadingBlock } from "@/components/ui/spinner";
import { LoadDemoButton } from "@/components/workspace/load-demo-button";
import { useTRPC } from "@/trpc/react";
import { ConnectionCards } from "./connection-cards";

export function SourcesPage() {
  const trpc = useTRPC();
  const ws = useWorkspace();
  const sources = useQuery(trpc.source.list.queryOptions({ workspace: ws.slug }));
  const types = useQuery(trpc.source.types.queryOptions({ workspace: ws.slug }));
  const canWrite = ws.can("source.write");
  const add = canWrite ? (
    <Link href={`/w/${ws.slug}/sources/new`} className={buttonClasses()}>
      <Plus className="size-4" aria-hidden /> Add source
    </Link>
  ) : null;
  return (
    <div>
      <PageHeader
        title="Sources"
        description="Warehouses Sluice reads models from. Credentials are encrypted at rest and never shown again."
        actions={sources.data && sources.data.length > 0 ? add : null}
      />
      {!canWrite ? (
        <p className="mb-4 text-xs text-zinc-500">
          Your role ({ws.role}) can see sources; admins and owners add and change them.
        </p>
      ) : null}
      {sources.isPending ? (
        <LoadingBlock />
      ) : sources.error ? (
        <ErrorBlock message={sources.error.message} />
      ) : (
        <ConnectionCards
          items={sources.data}
          kind="warehouse"
          typeNames={Object.fromEntries((types.data ?? []).map((t) => [t.slug, t.name]))}
          hrefFor={(s) => `/w/${ws.slug}/sources/${s.id}`}
          openLabel={canWrite ? "Edit" : "View"}
          empty={{
            icon: Database,
            title: "No sources yet",
            text: canWrite
              ? "A source is a warehouse Sluice reads your models from. Add yours — the setup walks you through a least-privileged role and checks it — or load the demo for a sample Postgres warehouse with customers and companies."
              : "A source is a warehouse Sluice reads your models from. An admin of this workspace can add one.",
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
