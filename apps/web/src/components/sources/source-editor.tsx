"use client";
// A saved source: the shared editor wired to the source procedures, plus the schemas to check.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useWorkspace } from "@/components/shell/workspace-context";
import { TextField } from "@/components/ui/field";
import { ErrorBlock, LoadingBlock } from "@/components/ui/spinner";
import { useTRPC } from "@/trpc/react";
import { splitList } from "./config-values";
import { ConnectionEditor } from "./connection-editor";

export function SourceEditor({ id, created }: { id: string; created: boolean }) {
  const trpc = useTRPC();
  const ws = useWorkspace();
  const router = useRouter();
  const queryClient = useQueryClient();
  const source = useQuery(trpc.source.get.queryOptions({ workspace: ws.slug, id }));
  const types = useQuery(trpc.source.types.queryOptions({ workspace: ws.slug }));
  const [schemas, setSchemas] = useState("");
  const test = useMutation(trpc.source.test.mutationOptions());
  const update = useMutation(trpc.source.update.mutationOptions());
  const remove = useMutation(trpc.source.delete.mutationOptions());
  const invalidate = () => queryClient.invalidateQueries({ queryKey: trpc.source.pathKey() });

  if (source.isPending || types.isPending) return <LoadingBlock />;
  if (source.error) return <ErrorBlock message={source.error.message} />;
  if (types.error) return <ErrorBlock message={types.error.message} />;
  const type = types.data.find((t) => t.slug === source.data.type);
  if (!type)
    return <ErrorBlock message={`This source's type "${source.data.type}" is not available in this version of Sluice.`} />;
  const hasUrl = type.fields.some((f) => f.key === "connectionString");
  return (
    <ConnectionEditor
      key={source.data.id}
      noun="source"
      listHref={`/w/${ws.slug}/sources`}
      listLabel="Sources"
      item={source.data}
      typeName={type.name}
      fields={type.fields}
      role={ws.role}
      canWrite={ws.can("source.write")}
      created={created}
      test={(config) => test.mutateAsync({ workspace: ws.slug, id, config, schemas: splitList(schemas) })}
      save={async ({ name, config }) => {
        const view = await update.mutateAsync({ workspace: ws.slug, id, name, config });
        await invalidate();
        return view;
      }}
      remove={async () => {
        await remove.mutateAsync({ workspace: ws.slug, id });
        router.push(`/w/${ws.slug}/sources`);
        await queryClient.invalidateQueries({ queryKey: trpc.source.list.queryKey() });
      }}
      deleteWarning="Sluice forgets these credentials. Models that read from this source must be deleted or moved first. Snapshots in the warehouse's Sluice schema stay until you drop them."
      checkInputs={
        <TextField
          label="Schemas to check (optional)"
          value={schemas}
          onChange={(e) => setSchemas(e.target.value)}
          placeholder="public, analytics"
          hint="Comma-separated; the check proves Sluice can read them."
          spellCheck={false}
        />
      }
      checkInputsKey={schemas}
      collapsed={hasUrl ? ["connectionString"] : []}
      collapsedLabel="Connect with a URL instead"
    />
  );
}
