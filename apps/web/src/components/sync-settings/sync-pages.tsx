"use client";
// The two pages around the sync form: a new sync (optionally from a model), and a saved sync's settings.
import { useQuery } from "@tanstack/react-query";
import { ArrowLeft } from "lucide-react";
import Link from "next/link";
import { useWorkspace } from "@/components/shell/workspace-context";
import { PageHeader } from "@/components/ui/page-header";
import { ErrorBlock, LoadingBlock } from "@/components/ui/spinner";
import { useTRPC } from "@/trpc/react";
import { SyncForm } from "./sync-form";

export function NewSyncPage({ modelId }: { modelId?: string }) {
  const ws = useWorkspace();
  return (
    <div>
      <Link
        href={`/w/${ws.slug}/syncs`}
        className="mb-3 inline-flex items-center gap-1 text-xs font-medium text-zinc-500 hover:text-zinc-800"
      >
        <ArrowLeft className="size-3.5" aria-hidden /> All syncs
      </Link>
      <PageHeader
        title="New sync"
        description="A sync sends a model's changed rows to a destination: pick both, map the columns to the destination's fields, then choose how and when it runs."
      />
      <SyncForm saved={null} initialModelId={modelId} />
    </div>
  );
}

export function SyncSettingsPage({ id, created }: { id: string; created: boolean }) {
  const trpc = useTRPC();
  const ws = useWorkspace();
  const sync = useQuery(trpc.sync.get.queryOptions({ workspace: ws.slug, id }));
  if (sync.isPending) return <LoadingBlock />;
  if (sync.error) return <ErrorBlock message={sync.error.message} />;
  return <SyncForm key={sync.data.id} saved={sync.data} syncId={sync.data.id} created={created} />;
}
