"use client";
import type { LucideIcon } from "lucide-react";
import { Lock } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { timeAgo } from "@/lib/format";

const MASK = "••••••••";

export interface ConnectionView {
  id: string;
  name: string;
  type: string;
  config: unknown;
  createdAt: Date | string;
}

function configEntries(config: unknown): [string, string][] {
  if (!config || typeof config !== "object") return [];
  return Object.entries(config as Record<string, unknown>)
    .filter(([, v]) => v !== undefined && v !== null && v !== "")
    .map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]);
}

/** Sources and destinations look alike: name, connector type, and the (masked) config. */
export function ConnectionList({
  items,
  icon,
  emptyTitle,
  emptyText,
  emptyActions,
}: {
  items: ConnectionView[];
  icon: LucideIcon;
  emptyTitle: string;
  emptyText: string;
  emptyActions?: React.ReactNode;
}) {
  if (items.length === 0) {
    return (
      <Card>
        <EmptyState icon={icon} title={emptyTitle} actions={emptyActions}>
          {emptyText}
        </EmptyState>
      </Card>
    );
  }
  const Icon = icon;
  return (
    <ul className="space-y-4">
      {items.map((item) => (
        <li key={item.id}>
          <Card className="p-5" data-testid="connection-card">
            <div className="flex items-start justify-between gap-4">
              <div className="flex items-center gap-3">
                <div className="flex size-10 items-center justify-center rounded-lg bg-brand-50 ring-1 ring-brand-100">
                  <Icon className="size-5 text-brand-600" aria-hidden />
                </div>
                <div>
                  <h3 className="text-sm font-semibold text-zinc-900">{item.name}</h3>
                  <p className="mt-0.5 text-xs text-zinc-500">Added {timeAgo(item.createdAt)}</p>
                </div>
              </div>
              <Badge tone="brand" className="capitalize">
                {item.type}
              </Badge>
            </div>
            <dl className="mt-4 grid gap-x-6 gap-y-2 rounded-lg bg-zinc-50 px-4 py-3 text-xs sm:grid-cols-2">
              {configEntries(item.config).map(([key, value]) => (
                <div key={key} className="flex min-w-0 gap-2">
                  <dt className="shrink-0 text-zinc-500">{key}</dt>
                  <dd
                    className="flex min-w-0 items-center gap-1 truncate font-mono text-zinc-800"
                    title={value === MASK ? "Encrypted; never shown again" : value}
                  >
                    {value === MASK ? <Lock className="size-3 shrink-0 text-zinc-400" aria-label="secret" /> : null}
                    <span className="truncate">{value}</span>
                  </dd>
                </div>
              ))}
            </dl>
          </Card>
        </li>
      ))}
    </ul>
  );
}
