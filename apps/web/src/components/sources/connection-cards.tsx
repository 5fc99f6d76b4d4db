"use client";
// Saved sources or destinations as cards: name, connector, the (masked) settings, and a link to open it.
import { SECRET_MASK } from "@sluice/contracts/connections";
import { ChevronRight, Lock, type LucideIcon } from "lucide-react";
import Link from "next/link";
import type { ReactNode } from "react";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { timeAgo } from "@/lib/format";
import { connectorIcon } from "./connector-icon";

export interface ConnectionItem {
  id: string;
  name: string;
  type: string;
  config: Record<string, unknown>;
  createdAt: Date | string;
}

function configEntries(config: Record<string, unknown>): [string, string][] {
  return Object.entries(config)
    .filter(([, v]) => v !== undefined && v !== null && v !== "")
    .map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]);
}

export function ConnectionCards({
  items,
  kind,
  typeNames,
  hrefFor,
  openLabel,
  empty,
}: {
  items: ConnectionItem[];
  kind: "warehouse" | "destination";
  /** Slug → display name, from the catalogue; the slug shows until it loads. */
  typeNames: Record<string, string>;
  hrefFor: (item: ConnectionItem) => string;
  openLabel: string;
  empty: { icon: LucideIcon; title: string; text: ReactNode; actions?: ReactNode };
}) {
  if (items.length === 0) {
    return (
      <Card>
        <EmptyState icon={empty.icon} title={empty.title} actions={empty.actions}>
          {empty.text}
        </EmptyState>
      </Card>
    );
  }
  return (
    <ul className="space-y-4">
      {items.map((item) => {
        const Icon = connectorIcon(item.type, kind);
        return (
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
                <div className="flex items-center gap-3">
                  <Badge tone="brand">{typeNames[item.type] ?? item.type}</Badge>
                  <Link
                    href={hrefFor(item)}
                    className="inline-flex items-center gap-0.5 text-xs font-medium text-brand-700 hover:text-brand-800"
                    aria-label={`${openLabel} ${item.name}`}
                  >
                    {openLabel}
                    <ChevronRight className="size-3.5" aria-hidden />
                  </Link>
                </div>
              </div>
              <dl className="mt-4 grid gap-x-6 gap-y-2 rounded-lg bg-zinc-50 px-4 py-3 text-xs sm:grid-cols-2">
                {configEntries(item.config).map(([key, value]) => (
                  <div key={key} className="flex min-w-0 gap-2">
                    <dt className="shrink-0 text-zinc-500">{key}</dt>
                    <dd
                      className="flex min-w-0 items-center gap-1 truncate font-mono text-zinc-800"
                      title={value.includes(SECRET_MASK) ? "Encrypted; never shown again" : value}
                    >
                      {value === SECRET_MASK ? <Lock className="size-3 shrink-0 text-zinc-400" aria-label="secret" /> : null}
                      <span className="truncate">{value}</span>
                    </dd>
                  </div>
                ))}
              </dl>
            </Card>
          </li>
        );
      })}
    </ul>
  );
}
