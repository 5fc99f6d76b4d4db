// The wizard's progress: numbered steps, done ones ticked, the current one highlighted.
import { Check } from "lucide-react";
import { cn } from "@/lib/cn";

export function WizardSteps({ steps, current }: { steps: string[]; current: number }) {
  return (
    <nav aria-label="Setup progress" className="mb-6">
      <ol className="flex flex-wrap items-center gap-x-2 gap-y-2">
        {steps.map((label, i) => {
          const state = i < current ? "done" : i === current ? "current" : "todo";
          return (
            <li key={label} className="flex items-center gap-2" aria-current={state === "current" ? "step" : undefined}>
              {i > 0 ? <span className="h-px w-6 bg-zinc-300" aria-hidden /> : null}
              <span
                className={cn(
                  "flex size-6 items-center justify-center rounded-full text-xs font-semibold",
                  state === "done" && "bg-brand-600 text-white",
                  state === "current" && "bg-white text-brand-700 ring-2 ring-brand-600",
                  state === "todo" && "bg-white text-zinc-400 ring-1 ring-zinc-300",
                )}
              >
                {state === "done" ? <Check className="size-3.5" aria-hidden /> : i + 1}
              </span>
              <span className={cn("text-sm", state === "current" ? "font-semibold text-zinc-900" : "text-zinc-500")}>
                {label}
              </span>
            </li>
          );
        })}
      </ol>
    </nav>
  );
}
