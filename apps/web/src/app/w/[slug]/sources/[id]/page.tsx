import type { Metadata } from "next";
import { SourceEditor } from "@/components/sources/source-editor";

export const metadata: Metadata = { title: "Source" };

export default async function Page({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<{ created?: string }>;
}) {
  const { id } = await params;
  const { created } = await searchParams;
  return <SourceEditor id={id} created={created === "1"} />;
}
