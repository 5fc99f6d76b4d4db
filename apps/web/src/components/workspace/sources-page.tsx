"use client";
import { useQuery } from "@tanstack/react-query";
import { Database } from "lucide-react";
import { useWorkspace } from "@/components/shell/workspace-context";
import { PageHeader } from "@/components/ui/page-header";
import { ErrorBlock, LoadingBlock } from "@/components/ui/spinner";
import { useTRPC } from "@/trpc/react";
import { ConnectionList } from "./connection-list";
import { LoadDemoButton } from "./load-demo-button";

export function SourcesPage() {
  const trpc = useTRPC();
  const ws = useWorkspace();
  const sources = useQuery(trpc.source.list.queryOptions({ workspace: ws.slug }));
  return (
    <div>
      <PageHeader
        title="Sources"
        description="Warehouses Sluice reads models from. Credentials are encrypted at rest and never shown again."
      />
      {sources.isPending ? (
        <LoadingBlock />
      ) : sources.error ? (
        <ErrorBlock message={sources.error.message} />
      ) : (
        <ConnectionList
          items={sources.data}
          icon={Database}
          emptyTitle="No sources yet"
          emptyText="A source is a warehouse — Postgres, Snowflake, BigQuery — that Sluice reads your models from. Load the demo to get a sample Postgres warehouse with customers and companies."
          emptyActions={<LoadDemoButton />}
        />
      )}
    </div>
  );
}
