import { Loader2 } from "lucide-react";

/** A small inline "working" line, for panes too small for a progress bar. */
export function Spinner({ label }: { label: string }) {
  return (
    <span className="inline-flex items-center gap-2 text-sm text-zinc-500">
      <Loader2 className="size-3.5 animate-spin" aria-hidden />
      {label}
    </span>
  );
}
