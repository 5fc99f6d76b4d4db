import type { Metadata } from "next";
import { SyncHistoryPage } from "@/components/history/sync-history-page";

export const metadata: Metadata = { title: "Sync runs" };

export default async function Page({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <SyncHistoryPage syncId={id} />;
}
