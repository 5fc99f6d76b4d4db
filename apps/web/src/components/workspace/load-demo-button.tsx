"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Database } from "lucide-react";
import { useWorkspace } from "@/components/shell/workspace-context";
import { Button, type ButtonProps } from "@/components/ui/button";
import { useTRPC } from "@/trpc/react";

/** One click: seeds the demo warehouse and registers its source, destination and model (idempotent). */
export function LoadDemoButton({ variant = "primary", onLoaded }: { variant?: ButtonProps["variant"]; onLoaded?: () => void }) {
  const trpc = useTRPC();
  const ws = useWorkspace();
  const queryClient = useQueryClient();
  const load = useMutation(
    trpc.demo.load.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries();
        onLoaded?.();
      },
    }),
  );
  if (!ws.can("demo.load")) return null;
  return (
    <div className="flex flex-col items-center gap-2">
      <Button variant={variant} loading={load.isPending} onClick={() => load.mutate({ workspace: ws.slug })}>
        {load.isPending ? null : <Database className="size-4" aria-hidden />}
        {load.isPending ? "Loading demo data…" : "Load demo data"}
      </Button>
      {load.error ? (
        <p role="alert" className="text-xs text-red-600">
          {load.error.message}
        </p>
      ) : null}
    </div>
  );
}
