import type { Metadata } from "next";
import { SourceWizard } from "@/components/sources/source-wizard";

export const metadata: Metadata = { title: "Add a source" };

export default function Page() {
  return <SourceWizard />;
}
