import type { Metadata } from "next";
import { DestinationWizard } from "@/components/destinations/destination-wizard";

export const metadata: Metadata = { title: "Add a destination" };

export default async function Page({ searchParams }: { searchParams: Promise<{ type?: string }> }) {
  const { type } = await searchParams;
  return <DestinationWizard typeSlug={type ?? null} />;
}
