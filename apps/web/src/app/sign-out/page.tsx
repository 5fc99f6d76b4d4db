"use client";
import { useEffect } from "react";
import { LoadingBlock } from "@/components/ui/spinner";
import { authClient } from "@/lib/auth-client";

export default function SignOutPage() {
  useEffect(() => {
    void authClient.signOut().finally(() => window.location.assign("/sign-in"));
  }, []);
  return <LoadingBlock label="Signing you out…" />;
}
