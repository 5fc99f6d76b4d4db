import type { Metadata } from "next";
import { LiveDebuggerPage } from "@/components/live/live-debugger-page";

export const metadata: Metadata = { title: "Live" };

export default async function Page({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <LiveDebuggerPage syncId={id} />;
}
