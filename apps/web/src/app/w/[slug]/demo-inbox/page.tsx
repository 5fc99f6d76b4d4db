import type { Metadata } from "next";
import { DemoInboxPage } from "@/components/workspace/demo-inbox-page";

export const metadata: Metadata = { title: "Demo inbox" };

export default function Page() {
  return <DemoInboxPage />;
}
