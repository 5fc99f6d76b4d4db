"use client";
// A saved destination: the shared editor wired to the destination procedures, with what it writes.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useWorkspace } from "@/components/shell/workspace-context";
import { ConnectionEditor } from "@/components/sources/connection-editor";
import { ErrorBlock, LoadingBlock } from "@/components/ui/spinner";
import { useTRPC } from "@/trpc/react";
import { DestinationDocs } from "./destination-docs";

export function DestinationEditor({ id, created }: { id: string; created: boolean }) {
  const trpc = useTRPC();
  const ws = useWorkspace();
  const router = useRouter();
  const queryClient = useQueryClient();
  const destination = useQuery(trpc.destination.get.queryOptions({ workspace: ws.slug, id }));
  const catalog = useQuery(trpc.destination.catalog.queryOptions({ workspace: ws.slug }));
  const test = useMutation(trpc.destination.test.mutationOptions());
  const update = useMutation(trpc.destination.update.mutationOptions());
  const remove = useMutation(trpc.destination.delete.mutationOptions());

  if (destination.isPending || catalog.isPending) return <LoadingBlock />;
  if (destination.error) return <ErrorBlock message={destination.error.message} />;
  if (catalog.error) return <ErrorBlock message={catalog.error.message} />;
  const type = catalog.data.find((t) => t.slug === destination.data.type);
  if (!type) {
    return (
      <ErrorBlock message={`This destination's type "${destination.data.type}" is not available in this version of Sluice.`} />
    );
  }
  return (
    <ConnectionEditor
      key={destination.data.id}
      noun="destination"
      listHref={`/w/${ws.slug}/destinations`}
      listLabel="Destinations"
      item={destination.data}
      typeName={type.name}
      fields={type.fields}
      role={ws.role}
      canWrite={ws.can("destination.write")}
      created={created}
      test={(config) => test.mutateAsync({ workspace: ws.slug, id, config })}
      save={async ({ name, config }) => {
        const view = await update.mutateAsync({ workspace: ws.slug, id, name, config });
        await queryClient.invalidateQueries({ queryKey: trpc.destination.pathKey() });
        return view;
      }}
      remove={async () => {
        await remove.mutateAsync({ workspace: ws.slug, id });
        router.push(`/w/${ws.slug}/destinations`);
        await queryClient.invalidateQueries({ queryKey: trpc.destination.list.queryKey() });
      }}
      deleteWarning="Sluice forgets these settings and credentials. Syncs that deliver here must be deleted or pointed elsewhere first."
      details={
        <div className="mb-4 flex flex-wrap items-center gap-x-4 gap-y-1 text-sm text-zinc-600">
          <span>
            Writes <span className="font-medium text-zinc-900">{type.objects.map((o) => o.label).join(", ")}</span>
          </span>
          <DestinationDocs docs={type.docs} />
        </div>
      }
    />
  );
}
