import type { Metadata } from "next";
import { RunDetailPage } from "@/components/history/run-detail-page";

export const metadata: Metadata = { title: "Run" };

export default async function Page({ params }: { params: Promise<{ id: string; runId: string }> }) {
  const { id, runId } = await params;
  return <RunDetailPage syncId={id} runId={runId} />;
}
