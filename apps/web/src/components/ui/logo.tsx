/** The Sluice mark: a gate with water flowing through it. */
export function Logo({ className }: { className?: string }) {
  return (
    <svg viewBox="0 0 32 32" className={className} aria-hidden>
      <rect width="32" height="32" rx="8" className="fill-brand-600" />
      <path d="M9 8v16M23 8v16" stroke="white" strokeWidth="2.5" strokeLinecap="round" />
      <path d="M9 13h14" stroke="white" strokeOpacity="0.55" strokeWidth="2.5" strokeLinecap="round" />
      <path d="M11 19c2-1.6 3.5-1.6 5 0s3 1.6 5 0" stroke="white" strokeWidth="2" fill="none" strokeLinecap="round" />
    </svg>
  );
}

export function Wordmark() {
  return (
    <span className="flex items-center gap-2">
      <Logo className="size-7" />
      <span className="text-base font-semibold tracking-tight text-zinc-900">Sluice</span>
    </span>
  );
}
