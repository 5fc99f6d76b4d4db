"use client";
// The workspace's models: name, source, primary key and the syncs that send them; an empty state that says
// what a model is and where to start.
import { useQuery } from "@tanstack/react-query";
import { KeyRound, Plus, Table2 } from "lucide-react";
import Link from "next/link";
import { useWorkspace } from "@/components/shell/workspace-context";
import { buttonClasses } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { ErrorBlock, LoadingBlock } from "@/components/ui/spinner";
import { Table, Td, Th } from "@/components/ui/table";
import { LoadDemoButton } from "@/components/workspace/load-demo-button";
import { timeAgo } from "@/lib/format";
import { useTRPC } from "@/trpc/react";

export function ModelsPage() {
  const trpc = useTRPC();
  const ws = useWorkspace();
  const models = useQuery(trpc.model.list.queryOptions({ workspace: ws.slug }));
  const syncs = useQuery(trpc.sync.list.queryOptions({ workspace: ws.slug }));
  const sources = useQuery(trpc.source.list.queryOptions({ workspace: ws.slug }));
  const canWrite = ws.can("model.write");
  const newModel = canWrite ? (
    <Link href={`/w/${ws.slug}/models/new`} className={buttonClasses("primary")}>
      <Plus className="size-4" aria-hidden /> New model
    </Link>
  ) : null;

  return (
    <div>
      <PageHeader
        title="Models"
        description="SQL queries (or tables) with a primary key: the rows a sync sends."
        actions={models.data && models.data.length > 0 ? newModel : null}
      />
      {models.isPending ? (
        <LoadingBlock />
      ) : models.error ? (
        <ErrorBlock message={models.error.message} />
      ) : models.data.length === 0 ? (
        <Card>
          <EmptyState
            icon={Table2}
            title="No models yet"
            actions={
              sources.data && sources.data.length === 0 ? (
                <LoadDemoButton />
              ) : (
                (newModel ?? <p className="text-xs text-zinc-400">Editors and above can create models.</p>)
              )
            }
          >
            <p>
              A model is a query over a source, like “customers with their lifetime value”. Sluice snapshots it inside the
              warehouse and diffs it by primary key, so each run sends only what changed.
            </p>
            {sources.data && sources.data.length === 0 ? (
              <p className="mt-3 text-xs text-zinc-400">
                Models read from a source, and this workspace has none yet. Load the demo warehouse, or ask an admin to{" "}
                <Link href={`/w/${ws.slug}/sources`} className="font-medium text-brand-700">
                  add a source
                </Link>
                .
              </p>
            ) : null}
          </EmptyState>
        </Card>
      ) : (
        <Card>
          <Table>
            <thead>
              <tr>
                <Th>Name</Th>
                <Th>Source</Th>
                <Th>Primary key</Th>
                <Th>Used by</Th>
                <Th>Updated</Th>
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-100">
              {models.data.map((m) => {
                const usedBy = syncs.data?.filter((s) => s.modelId === m.id) ?? [];
                return (
                  <tr key={m.id} data-testid="model-row" className="hover:bg-zinc-50/60">
                    <Td>
                      <Link href={`/w/${ws.slug}/models/${m.id}`} className="font-medium text-zinc-900 hover:text-brand-700">
                        {m.name}
                      </Link>
                      <p className="mt-0.5 max-w-md truncate font-mono text-xs text-zinc-400" title={m.query}>
                        {m.query.replace(/\s+/g, " ")}
                      </p>
                    </Td>
                    <Td>{m.sourceName}</Td>
                    <Td>
                      <span className="inline-flex flex-wrap gap-1">
                        {m.primaryKey.map((k) => (
                          <span
                            key={k}
                            className="inline-flex items-center gap-1 rounded-md bg-zinc-100 px-1.5 py-0.5 font-mono text-xs text-zinc-700"
                          >
                            <KeyRound className="size-3 text-zinc-400" aria-hidden />
                            {k}
                          </span>
                        ))}
                      </span>
                    </Td>
                    <Td className="text-zinc-500">
                      {usedBy.length === 0 ? (
                        "No syncs"
                      ) : (
                        <span title={usedBy.map((s) => s.name).join(", ")}>
                          {usedBy.length} sync{usedBy.length === 1 ? "" : "s"}
                        </span>
                      )}
                    </Td>
                    <Td className="whitespace-nowrap text-zinc-500">{timeAgo(m.updatedAt)}</Td>
                  </tr>
                );
              })}
            </tbody>
          </Table>
        </Card>
      )}
    </div>
  );
}
