// A payload or a destination's answer, pretty-printed; a value the worker cut short says so.
import { prettyJson, truncatedInfo } from "@/components/live/event-filter";
import { cn } from "@/lib/cn";

export function JsonBlock({ label, value, className }: { label: string; value: unknown; className?: string }) {
  const truncated = truncatedInfo(value);
  const empty = value === null || value === undefined;
  return (
    <div className={cn("min-w-0", className)}>
      <p className="mb-1 text-[11px] font-medium tracking-wide text-zinc-500 uppercase">{label}</p>
      {empty ? (
        <p className="rounded-lg bg-zinc-50 px-3 py-2 text-xs text-zinc-400 ring-1 ring-inset ring-zinc-200">
          {label === "Destination response" ? "No answer: the record was not sent." : "Nothing."}
        </p>
      ) : (
        <>
          {truncated ? (
            <p className="mb-1 text-xs text-amber-700">
              Cut short: {(truncated.bytes / 1024).toFixed(1)} KB of JSON; the first characters follow.
            </p>
          ) : null}
          <pre className="max-h-72 overflow-auto rounded-lg bg-zinc-950 px-3 py-2 font-mono text-xs leading-5 text-zinc-100">
            {truncated ? truncated.preview : prettyJson(value)}
          </pre>
        </>
      )}
    </div>
  );
}
