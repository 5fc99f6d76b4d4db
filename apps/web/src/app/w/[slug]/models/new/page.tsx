import type { Metadata } from "next";
import { ModelEditor } from "@/components/models/model-editor";

export const metadata: Metadata = { title: "New model" };

export default function Page() {
  return <ModelEditor />;
}
