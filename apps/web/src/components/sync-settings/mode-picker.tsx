"use client";
// The sync mode: only the modes the destination object supports, each with its plain sentence.
import type { SyncMode } from "@sluice/contracts/sync-config";
import { cn } from "@/lib/cn";

export function ModePicker({
  modes,
  value,
  onChange,
  readOnly,
}: {
  modes: readonly { mode: SyncMode; label: string; description: string }[];
  value: SyncMode | null;
  onChange: (mode: SyncMode) => void;
  readOnly: boolean;
}) {
  return (
    <fieldset>
      <legend className="sr-only">Mode</legend>
      <div className="grid gap-3 sm:grid-cols-2">
        {modes.map((m) => {
          const on = value === m.mode;
          return (
            <label
              key={m.mode}
              data-testid="mode-option"
              className={cn(
                "flex gap-3 rounded-lg p-4 ring-1 ring-inset transition-colors",
                readOnly ? "cursor-default" : "cursor-pointer hover:bg-zinc-50",
                on ? "bg-brand-50/50 ring-2 ring-brand-500" : "ring-zinc-200",
              )}
            >
              <input
                type="radio"
                name="sync-mode"
                value={m.mode}
                checked={on}
                disabled={readOnly}
                onChange={() => onChange(m.mode)}
                className="mt-1 size-4 accent-brand-600"
              />
              <span>
                <span className="block text-sm font-semibold text-zinc-900">{m.label}</span>
                <span className="mt-0.5 block text-sm text-zinc-600">{m.description}</span>
              </span>
            </label>
          );
        })}
      </div>
    </fieldset>
  );
}
