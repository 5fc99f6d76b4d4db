import { redirect } from "next/navigation";

// A sync's own address opens its settings (the tabs lead to runs and the live view).
export default async function Page({ params }: { params: Promise<{ slug: string; id: string }> }) {
  const { slug, id } = await params;
  redirect(`/w/${encodeURIComponent(slug)}/syncs/${encodeURIComponent(id)}/settings`);
}
