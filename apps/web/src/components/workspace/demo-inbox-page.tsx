"use client";
import { useQuery } from "@tanstack/react-query";
import { Inbox } from "lucide-react";
import { Fragment, useState } from "react";
import { useWorkspace } from "@/components/shell/workspace-context";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { ErrorBlock, LoadingBlock } from "@/components/ui/spinner";
import { Table, Td, Th } from "@/components/ui/table";
import { formatDateTime, timeAgo } from "@/lib/format";
import { useTRPC } from "@/trpc/react";
import { LoadDemoButton } from "./load-demo-button";

const REFRESH_MS = 3_000;
const OP_TONE: Record<string, BadgeTone> = { insert: "green", update: "brand", delete: "red" };

function compactJson(value: unknown): string {
  if (value === null || value === undefined) return "—";
  return JSON.stringify(value);
}

export function DemoInboxPage() {
  const trpc = useTRPC();
  const ws = useWorkspace();
  const [expanded, setExpanded] = useState<string | null>(null);
  const inbox = useQuery({
    ...trpc.demo.inbox.queryOptions({ workspace: ws.slug, limit: 100 }),
    refetchInterval: REFRESH_MS,
    refetchIntervalInBackground: false,
  });

  const live = (
    <span className="inline-flex items-center gap-2 text-xs text-zinc-500">
      <span className="relative flex size-2">
        <span className="absolute inline-flex size-full animate-ping rounded-full bg-emerald-400 opacity-75" />
        <span className="relative inline-flex size-2 rounded-full bg-emerald-500" />
      </span>
      Live · refreshes every {REFRESH_MS / 1000}s
    </span>
  );

  return (
    <div>
      <PageHeader
        title="Demo inbox"
        description="What the built-in demo destination received: every record a sync delivered to it, newest first."
        actions={inbox.data?.destination ? live : null}
      />
      {inbox.isPending ? (
        <LoadingBlock />
      ) : inbox.error ? (
        <ErrorBlock message={inbox.error.message} />
      ) : !inbox.data.destination ? (
        <Card>
          <EmptyState icon={Inbox} title="The demo isn't loaded" actions={<LoadDemoButton />}>
            The demo adds a sample warehouse and a destination called “Demo inbox” that keeps what it receives, so you can watch a
            sync deliver records without any SaaS account.
          </EmptyState>
        </Card>
      ) : inbox.data.items.length === 0 ? (
        <Card>
          <EmptyState icon={Inbox} title="Nothing received yet">
            When a sync runs into “Demo inbox”, every record it delivers appears here — the operation, the record's key and the
            data that arrived, newest first. This page refreshes by itself.
          </EmptyState>
        </Card>
      ) : (
        <Card>
          <div className="flex items-center justify-between border-b border-zinc-100 px-5 py-3 text-sm text-zinc-500">
            <span>
              <strong className="font-semibold text-zinc-900 tabular-nums">{inbox.data.total.toLocaleString()}</strong> records
              received
            </span>
            <span>Showing the newest {inbox.data.items.length}</span>
          </div>
          <Table>
            <thead className="bg-zinc-50/60">
              <tr>
                <Th>Received</Th>
                <Th>Op</Th>
                <Th>Key</Th>
                <Th>Data</Th>
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-100">
              {inbox.data.items.map((item) => {
                const id = String(item.id);
                const open = expanded === id;
                return (
                  <Fragment key={id}>
                    <tr className="cursor-pointer hover:bg-zinc-50" onClick={() => setExpanded(open ? null : id)}>
                      <Td className="whitespace-nowrap" title={formatDateTime(item.receivedAt)}>
                        {timeAgo(item.receivedAt)}
                      </Td>
                      <Td>
                        <Badge tone={OP_TONE[item.op] ?? "neutral"}>{item.op}</Badge>
                      </Td>
                      <Td className="font-mono text-xs whitespace-nowrap">{compactJson(item.recordKey)}</Td>
                      <Td className="max-w-md truncate font-mono text-xs text-zinc-500">{compactJson(item.data)}</Td>
                    </tr>
                    {open ? (
                      <tr className="bg-zinc-50">
                        <td colSpan={4} className="px-5 py-4">
                          <pre className="overflow-x-auto rounded-lg bg-zinc-900 p-4 font-mono text-xs leading-5 text-zinc-100">
                            {JSON.stringify(
                              { op: item.op, key: item.recordKey, data: item.data, batchId: item.batchId },
                              null,
                              2,
                            )}
                          </pre>
                        </td>
                      </tr>
                    ) : null}
                  </Fragment>
                );
              })}
            </tbody>
          </Table>
        </Card>
      )}
    </div>
  );
}
