import type { Metadata } from "next";
import { DestinationEditor } from "@/components/destinations/destination-editor";

export const metadata: Metadata = { title: "Destination" };

export default async function Page({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<{ created?: string }>;
}) {
  const { id } = await params;
  const { created } = await searchParams;
  return <DestinationEditor id={id} created={created === "1"} />;
}
