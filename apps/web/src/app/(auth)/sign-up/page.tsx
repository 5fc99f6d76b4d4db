import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { SignUpForm } from "@/components/auth/sign-up-form";
import { currentSession } from "@/server/auth";
import { hasAnyUser } from "@/server/users";

export const metadata: Metadata = { title: "Create your account" };
export const dynamic = "force-dynamic";

export default async function SignUpPage() {
  if (await currentSession()) redirect("/");
  return <SignUpForm firstUser={!(await hasAnyUser())} />;
}
