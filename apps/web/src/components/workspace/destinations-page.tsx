"use client";
import { useQuery } from "@tanstack/react-query";
import { Send } from "lucide-react";
import { useWorkspace } from "@/components/shell/workspace-context";
import { PageHeader } from "@/components/ui/page-header";
import { ErrorBlock, LoadingBlock } from "@/components/ui/spinner";
import { useTRPC } from "@/trpc/react";
import { ConnectionList } from "./connection-list";
import { LoadDemoButton } from "./load-demo-button";

export function DestinationsPage() {
  const trpc = useTRPC();
  const ws = useWorkspace();
  const destinations = useQuery(trpc.destination.list.queryOptions({ workspace: ws.slug }));
  return (
    <div>
      <PageHeader title="Destinations" description="The tools your syncs deliver records to." />
      {destinations.isPending ? (
        <LoadingBlock />
      ) : destinations.error ? (
        <ErrorBlock message={destinations.error.message} />
      ) : (
        <ConnectionList
          items={destinations.data}
          icon={Send}
          emptyTitle="No destinations yet"
          emptyText="A destination is where synced records go: a CRM, an ad platform, a webhook. The demo adds “Demo inbox”, a destination that simply shows what it receives."
          emptyActions={<LoadDemoButton />}
        />
      )}
    </div>
  );
}
