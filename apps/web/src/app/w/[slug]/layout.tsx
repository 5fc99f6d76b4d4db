import { listWorkspacesForUser } from "@sluice/core";
import { notFound, redirect } from "next/navigation";
import type { ReactNode } from "react";
import { WorkspaceShell } from "@/components/shell/workspace-shell";
import { currentSession } from "@/server/auth";
import { services } from "@/server/services";

export const dynamic = "force-dynamic";

export default async function WorkspaceLayout({ children, params }: { children: ReactNode; params: Promise<{ slug: string }> }) {
  const session = await currentSession();
  if (!session) redirect("/sign-in");
  const { slug } = await params;
  const workspaces = await listWorkspacesForUser(services(), session.user.id);
  const current = workspaces.find((w) => w.slug === slug);
  // Not a member (or no such workspace): the same 404 either way, so existence is never revealed.
  if (!current) notFound();
  return (
    <WorkspaceShell
      workspace={{ id: current.id, slug: current.slug, name: current.name, role: current.role }}
      workspaces={workspaces.map((w) => ({ slug: w.slug, name: w.name, role: w.role }))}
      user={{ name: session.user.name, email: session.user.email }}
    >
      {children}
    </WorkspaceShell>
  );
}
