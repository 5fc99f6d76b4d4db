"use client";
// The list page of a workspace's connections (sources, destinations): header, role note, cards, and an empty
// state that offers to add one or to load the demo.
import type { LucideIcon } from "lucide-react";
import { Plus } from "lucide-react";
import Link from "next/link";
import type { ReactNode } from "react";
import { useWorkspace } from "@/components/shell/workspace-context";
import { buttonClasses } from "@/components/ui/button";
import { PageHeader } from "@/components/ui/page-header";
import { ErrorBlock, LoadingBlock } from "@/components/ui/spinner";
import { LoadDemoButton } from "@/components/workspace/load-demo-button";
import { ConnectionCards, type ConnectionItem } from "./connection-cards";

export interface ConnectionsPageProps {
  /** "source" or "destination": the button's and the role note's word. */
  noun: string;
  /** The URL segment under the workspace: "sources" or "destinations". */
  path: string;
  title: string;
  description: string;
  kind: "warehouse" | "destination";
  canWrite: boolean;
  list: { isPending: boolean; error: { message: string } | null; data: ConnectionItem[] | undefined };
  /** Type slug → display name. */
  typeNames: Record<string, string>;
  empty: { icon: LucideIcon; title: string; text: ReactNode };
}

export function ConnectionsPage(p: ConnectionsPageProps) {
  const ws = useWorkspace();
  const add = p.canWrite ? (
    <Link href={`/w/${ws.slug}/${p.path}/new`} className={buttonClasses()}>
      <Plus className="size-4" aria-hidden /> Add {p.noun}
    </Link>
  ) : null;
  return (
    <div>
      <PageHeader title={p.title} description={p.description} actions={p.list.data && p.list.data.length > 0 ? add : null} />
      {!p.canWrite ? (
        <p className="mb-4 text-xs text-zinc-500">
          Your role ({ws.role}) can see {p.path}; admins and owners add and change them.
        </p>
      ) : null}
      {p.list.isPending ? (
        <LoadingBlock />
      ) : p.list.error ? (
        <ErrorBlock message={p.list.error.message} />
      ) : (
        <ConnectionCards
          items={p.list.data ?? []}
          kind={p.kind}
          typeNames={p.typeNames}
          hrefFor={(item) => `/w/${ws.slug}/${p.path}/${item.id}`}
          openLabel={p.canWrite ? "Edit" : "View"}
          empty={{
            ...p.empty,
            actions: p.canWrite ? (
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
