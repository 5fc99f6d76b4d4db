import type { Metadata } from "next";
import { PlannedPage } from "@/components/workspace/planned-page";

export const metadata: Metadata = { title: "Syncs" };

export default function Page() {
  return <PlannedPage kind="syncs" />;
}
