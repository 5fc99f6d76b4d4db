import type { Metadata } from "next";
import { SyncSettingsPage } from "@/components/sync-settings/sync-pages";

export const metadata: Metadata = { title: "Sync settings" };

export default async function Page({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<{ created?: string }>;
}) {
  const { id } = await params;
  const { created } = await searchParams;
  return <SyncSettingsPage id={id} created={created === "1"} />;
}
