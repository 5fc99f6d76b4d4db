"use client";
// The header every page of one sync shares: back to the list, the sync's name and route, and its tabs.
import { useQuery } from "@tanstack/react-query";
import { ArrowLeft, ArrowLeftRight, Radio, Settings2 } from "lucide-react";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useWorkspace } from "@/components/shell/workspace-context";
import { cn } from "@/lib/cn";
import { useTRPC } from "@/trpc/react";

const TABS = [
  { segment: "settings", label: "Settings", icon: Settings2 },
  { segment: "runs", label: "Runs", icon: ArrowLeftRight },
  { segment: "live", label: "Live", icon: Radio },
] as const;

export function SyncHeader({ syncId }: { syncId: string }) {
  const trpc = useTRPC();
  const ws = useWorkspace();
  const pathname = usePathname();
  const sync = useQuery(trpc.sync.get.queryOptions({ workspace: ws.slug, id: syncId }));
  const base = `/w/${ws.slug}/syncs/${syncId}`;
  return (
    <div className="mb-6">
      <Link
        href={`/w/${ws.slug}/syncs`}
        className="inline-flex items-center gap-1 text-xs font-medium text-zinc-500 hover:text-zinc-800"
      >
        <ArrowLeft className="size-3.5" aria-hidden /> All syncs
      </Link>
      <div className="mt-2 min-h-12">
        <h1 className="text-xl font-semibold tracking-tight text-zinc-900" data-testid="sync-title">
          {sync.data?.name ?? (sync.error ? "Sync" : "\u00a0")}
        </h1>
        <p className="mt-1 text-sm text-zinc-500">
          {sync.data ? (
            <>
              {sync.data.modelName} → {sync.data.destinationName}
              <span className="text-zinc-400"> · {sync.data.scheduleSummary}</span>
            </>
          ) : sync.error ? (
            <span className="text-red-600">{sync.error.message}</span>
          ) : (
            "\u00a0"
          )}
        </p>
      </div>
      <nav aria-label="Sync" className="mt-4 flex gap-1 border-b border-zinc-200">
        {TABS.map((tab) => {
          const href = `${base}/${tab.segment}`;
          const active = pathname === href || pathname.startsWith(`${href}/`);
          return (
            <Link
              key={tab.segment}
              href={href}
              aria-current={active ? "page" : undefined}
              className={cn(
                "-mb-px inline-flex items-center gap-1.5 border-b-2 px-3 pb-2.5 pt-1 text-sm font-medium transition-colors",
                active
                  ? "border-brand-600 text-brand-700"
                  : "border-transparent text-zinc-500 hover:border-zinc-300 hover:text-zinc-800",
              )}
            >
              <tab.icon className="size-4" aria-hidden />
              {tab.label}
            </Link>
          );
        })}
      </nav>
    </div>
  );
}
