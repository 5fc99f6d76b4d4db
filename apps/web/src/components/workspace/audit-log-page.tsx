"use client";
import { useInfiniteQuery } from "@tanstack/react-query";
import { Bot, KeyRound, ScrollText, ShieldAlert, User } from "lucide-react";
import { Fragment, useState } from "react";
import { useWorkspace } from "@/components/shell/workspace-context";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { ErrorBlock, LoadingBlock } from "@/components/ui/spinner";
import { Table, Td, Th } from "@/components/ui/table";
import { formatDateTime, timeAgo } from "@/lib/format";
import { useTRPC } from "@/trpc/react";

const PAGE_SIZE = 50;

export function AuditLogPage() {
  const ws = useWorkspace();
  if (!ws.can("audit.read")) {
    return (
      <div>
        <PageHeader title="Audit log" />
        <Card>
          <EmptyState icon={ShieldAlert} title="Admins only">
            The audit log records who changed what in this workspace. Only admins and owners can read it; your role is {ws.role}.
          </EmptyState>
        </Card>
      </div>
    );
  }
  return <AuditLog />;
}

function AuditLog() {
  const trpc = useTRPC();
  const ws = useWorkspace();
  const [expanded, setExpanded] = useState<string | null>(null);
  const log = useInfiniteQuery(
    trpc.audit.list.infiniteQueryOptions(
      { workspace: ws.slug, limit: PAGE_SIZE },
      { getNextPageParam: (last) => last.nextCursor, initialCursor: undefined },
    ),
  );
  const items = log.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <div>
      <PageHeader
        title="Audit log"
        description="Every configuration change in this workspace: who, what, when, and the before/after (secrets masked)."
      />
      {log.isPending ? (
        <LoadingBlock />
      ) : log.error ? (
        <ErrorBlock message={log.error.message} />
      ) : items.length === 0 ? (
        <Card>
          <EmptyState icon={ScrollText} title="Nothing recorded yet">
            Changes to sources, destinations, members and API keys will show up here.
          </EmptyState>
        </Card>
      ) : (
        <Card>
          <Table>
            <thead className="bg-zinc-50/60">
              <tr>
                <Th>When</Th>
                <Th>Who</Th>
                <Th>Action</Th>
                <Th>Target</Th>
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-100">
              {items.map((e) => {
                const open = expanded === e.id;
                const ActorIcon = e.actor.type === "apiKey" ? KeyRound : e.actor.type === "system" ? Bot : User;
                return (
                  <Fragment key={e.id}>
                    <tr className="cursor-pointer hover:bg-zinc-50" onClick={() => setExpanded(open ? null : e.id)}>
                      <Td className="whitespace-nowrap" title={formatDateTime(e.createdAt)}>
                        {timeAgo(e.createdAt)}
                      </Td>
                      <Td>
                        <span className="inline-flex items-center gap-1.5">
                          <ActorIcon className="size-3.5 text-zinc-400" aria-hidden />
                          {e.actor.name ?? (e.actor.type === "system" ? "Sluice" : "Deleted")}
                        </span>
                      </Td>
                      <Td>
                        <Badge tone="neutral" className="font-mono">
                          {e.action}
                        </Badge>
                      </Td>
                      <Td className="text-zinc-500">
                        <span className="text-zinc-400">{e.targetType}</span>{" "}
                        <span className="font-medium text-zinc-800">{targetLabel(e.after, e.before, e.targetId)}</span>
                      </Td>
                    </tr>
                    {open ? (
                      <tr className="bg-zinc-50">
                        <td colSpan={4} className="px-5 py-4">
                          <div className="grid gap-4 md:grid-cols-2">
                            <JsonPanel label="Before" value={e.before} />
                            <JsonPanel label="After" value={e.after} />
                          </div>
                        </td>
                      </tr>
                    ) : null}
                  </Fragment>
                );
              })}
            </tbody>
          </Table>
          {log.hasNextPage ? (
            <div className="border-t border-zinc-100 px-5 py-3 text-center">
              <Button variant="secondary" size="sm" loading={log.isFetchingNextPage} onClick={() => log.fetchNextPage()}>
                Load older entries
              </Button>
            </div>
          ) : null}
        </Card>
      )}
    </div>
  );
}

/** The target's name as recorded in the entry's before/after image, else its id. */
function targetLabel(after: unknown, before: unknown, id: string | null): string {
  for (const image of [after, before]) {
    if (image && typeof image === "object") {
      const { name, email } = image as { name?: unknown; email?: unknown };
      if (typeof name === "string" && name) return name;
      if (typeof email === "string" && email) return email;
    }
  }
  return id ?? "";
}

function JsonPanel({ label, value }: { label: string; value: unknown }) {
  return (
    <div>
      <p className="mb-1.5 text-xs font-medium text-zinc-500">{label}</p>
      <pre className="overflow-x-auto rounded-lg bg-zinc-900 p-3 font-mono text-xs leading-5 text-zinc-100">
        {value === null || value === undefined ? "—" : JSON.stringify(value, null, 2)}
      </pre>
    </div>
  );
}
