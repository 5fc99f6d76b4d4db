"use client";
import { useQuery } from "@tanstack/react-query";
import { Database } from "lucide-react";
import { useWorkspace } from "@/components/shell/workspace-context";
import { useTRPC } from "@/trpc/react";
import { ConnectionsPage } from "./connections-page";

export function SourcesPage() {
  const trpc = useTRPC();
  const ws = useWorkspace();
  const sources = useQuery(trpc.source.list.queryOptions({ workspace: ws.slug }));
  const types = useQuery(trpc.source.types.queryOptions({ workspace: ws.slug }));
  const canWrite = ws.can("source.write");
  return (
    <ConnectionsPage
      noun="source"
      path="sources"
      title="Sources"
      description="Warehouses Sluice reads models from. Credentials are encrypted at rest and never shown again."
      kind="warehouse"
      canWrite={canWrite}
      list={sources}
      typeNames={Object.fromEntries((types.data ?? []).map((t) => [t.slug, t.name]))}
      empty={{
        icon: Database,
        title: "No sources yet",
        text: canWrite
          ? "A source is a warehouse Sluice reads your models from. Add yours — the setup walks you through a least-privileged role and checks it — or load the demo for a sample Postgres warehouse with customers and companies."
          : "A source is a warehouse Sluice reads your models from. An admin of this workspace can add one.",
      }}
    />
  );
}
