import type { Metadata } from "next";
import { SyncsPage } from "@/components/workspace/syncs-page";

export const metadata: Metadata = { title: "Syncs" };

export default function Page() {
  return <SyncsPage />;
}
