import type { Metadata } from "next";
import { ModelEditor } from "@/components/models/model-editor";

export const metadata: Metadata = { title: "Model" };

export default async function Page({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<{ created?: string }>;
}) {
  const { id } = await params;
  const { created } = await searchParams;
  return <ModelEditor id={id} created={created === "1"} />;
}
