// Shown above a screen the user's role may read but not change (the server refuses the changes as well).
import { Eye } from "lucide-react";
import type { ReactNode } from "react";

export function ReadOnlyNotice({ role, children }: { role: string; children: ReactNode }) {
  return (
    <div
      role="note"
      data-testid="read-only-notice"
      className="mb-5 flex items-start gap-3 rounded-xl bg-zinc-100 px-5 py-3 text-sm text-zinc-700 ring-1 ring-zinc-200"
    >
      <Eye className="mt-0.5 size-4 shrink-0 text-zinc-500" aria-hidden />
      <p>
        <span className="font-medium text-zinc-900">Read-only: your role is {role}.</span> {children}
      </p>
    </div>
  );
}
