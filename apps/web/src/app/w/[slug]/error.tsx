"use client";
import { Button } from "@/components/ui/button";

export default function WorkspaceError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div className="rounded-xl bg-white p-8 text-center ring-1 ring-zinc-200">
      <h2 className="text-base font-semibold text-zinc-900">This page failed to load</h2>
      <p className="mt-2 text-sm text-zinc-500">
        {error.digest ? `Reference: ${error.digest}. ` : ""}Try again, or reload the page.
      </p>
      <Button className="mt-6" variant="secondary" onClick={reset}>
        Try again
      </Button>
    </div>
  );
}
