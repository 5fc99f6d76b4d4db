import { listWorkspacesForUser } from "@sluice/core";
import { redirect } from "next/navigation";
import { currentSession } from "@/server/auth";
import { services } from "@/server/services";
import { hasAnyUser } from "@/server/users";

export const dynamic = "force-dynamic";

export default async function Home() {
  const session = await currentSession();
  if (!session) redirect((await hasAnyUser()) ? "/sign-in" : "/sign-up");
  const workspaces = await listWorkspacesForUser(services(), session.user.id);
  const first = workspaces[0];
  redirect(first ? `/w/${first.slug}` : "/onboarding");
}
