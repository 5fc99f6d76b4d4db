"use client";
import { useQuery } from "@tanstack/react-query";
import { Send } from "lucide-react";
import { useWorkspace } from "@/components/shell/workspace-context";
import { ConnectionsPage } from "@/components/sources/connections-page";
import { useTRPC } from "@/trpc/react";

export function DestinationsPage() {
  const trpc = useTRPC();
  const ws = useWorkspace();
  const destinations = useQuery(trpc.destination.list.queryOptions({ workspace: ws.slug }));
  const catalog = useQuery(trpc.destination.catalog.queryOptions({ workspace: ws.slug }));
  const canWrite = ws.can("destination.write");
  return (
    <ConnectionsPage
      noun="destination"
      path="destinations"
      title="Destinations"
      description="The tools your syncs deliver records to. Secrets are encrypted at rest and never shown again."
      kind="destination"
      canWrite={canWrite}
      list={destinations}
      typeNames={Object.fromEntries((catalog.data ?? []).map((t) => [t.slug, t.name]))}
      empty={{
        icon: Send,
        title: "No destinations yet",
        text: canWrite
          ? `A destination is where synced records go: a CRM, a marketing tool, a database, a webhook. Choose from ${
              catalog.data ? `${catalog.data.length} in the catalogue` : "the catalogue"
            }, or load the demo for “Demo inbox”, a destination that simply shows what it receives.`
          : "A destination is where synced records go. An admin of this workspace can add one.",
      }}
    />
  );
}
