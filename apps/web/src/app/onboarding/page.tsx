import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { OnboardingFlow } from "@/components/onboarding/onboarding-flow";
import { Wordmark } from "@/components/ui/logo";
import { currentSession } from "@/server/auth";

export const metadata: Metadata = { title: "Create a workspace" };
export const dynamic = "force-dynamic";

export default async function OnboardingPage() {
  const session = await currentSession();
  if (!session) redirect("/sign-in");
  return (
    <div className="min-h-screen bg-zinc-50">
      <header className="mx-auto flex max-w-5xl items-center justify-between px-6 py-6">
        <Wordmark />
        <a href="/sign-out" className="text-sm text-zinc-500 hover:text-zinc-800">
          Sign out
        </a>
      </header>
      <main className="mx-auto max-w-xl px-6 pt-10 pb-24">
        <OnboardingFlow userName={session.user.name} />
      </main>
    </div>
  );
}
