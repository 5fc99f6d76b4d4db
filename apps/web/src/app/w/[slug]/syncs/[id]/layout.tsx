import type { ReactNode } from "react";
import { SyncHeader } from "@/components/history/sync-header";

// Every page of one sync (settings, runs, live) under its name and tabs.
export default async function SyncLayout({ children, params }: { children: ReactNode; params: Promise<{ id: string }> }) {
  const { id } = await params;
  return (
    <div>
      <SyncHeader syncId={id} />
      {children}
    </div>
  );
}
