import type { Metadata } from "next";
import { NewSyncPage } from "@/components/sync-settings/sync-pages";

export const metadata: Metadata = { title: "New sync" };

export default async function Page({ searchParams }: { searchParams: Promise<{ modelId?: string }> }) {
  const { modelId } = await searchParams;
  return <NewSyncPage modelId={modelId} />;
}
