"use client";
import { useQuery } from "@tanstack/react-query";
import { Table2 } from "lucide-react";
import { useWorkspace } from "@/components/shell/workspace-context";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { useTRPC } from "@/trpc/react";

const PAGES = {
  models: {
    title: "Models",
    description: "SQL queries (or tables) with a primary key: the rows a sync sends.",
    icon: Table2,
    emptyTitle: "No models yet",
    explain:
      "A model is a query over a source, like “customers with their lifetime value”. Sluice snapshots it inside the warehouse and diffs it by primary key, so each run sends only what changed.",
  },
} as const;

/** Models get their editor next; for now the page says what they are and how many exist. */
export function PlannedPage({ kind }: { kind: keyof typeof PAGES }) {
  const trpc = useTRPC();
  const ws = useWorkspace();
  const summary = useQuery(trpc.workspace.summary.queryOptions({ workspace: ws.slug }));
  const page = PAGES[kind];
  const count = summary.data?.counts[kind] ?? 0;
  return (
    <div>
      <PageHeader title={page.title} description={page.description} />
      <Card>
        <EmptyState
          icon={page.icon}
          title={count > 0 ? `${count} ${count === 1 ? kind.slice(0, -1) : kind} in this workspace` : page.emptyTitle}
        >
          <p>{page.explain}</p>
          <p className="mt-3 text-xs text-zinc-400">Creating and editing {kind} from this page arrives in the next release.</p>
        </EmptyState>
      </Card>
    </div>
  );
}
