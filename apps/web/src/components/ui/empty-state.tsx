import type { LucideIcon } from "lucide-react";
import type { ReactNode } from "react";

export function EmptyState({
  icon: Icon,
  title,
  children,
  actions,
}: {
  icon: LucideIcon;
  title: string;
  children?: ReactNode;
  actions?: ReactNode;
}) {
  return (
    <div className="flex flex-col items-center px-6 py-14 text-center" data-empty-state>
      <div className="flex size-12 items-center justify-center rounded-full bg-brand-50 ring-8 ring-brand-50/50">
        <Icon className="size-6 text-brand-600" aria-hidden />
      </div>
      <h3 className="mt-5 text-base font-semibold text-zinc-900">{title}</h3>
      {children ? <div className="mt-2 max-w-md text-sm leading-6 text-zinc-500">{children}</div> : null}
      {actions ? <div className="mt-6 flex flex-wrap items-center justify-center gap-3">{actions}</div> : null}
    </div>
  );
}
