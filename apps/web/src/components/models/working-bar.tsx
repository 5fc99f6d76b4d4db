"use client";
// Progress for work whose length is unknown (a query on the warehouse, a test request): a sliding bar and
// the seconds so far, so a slow warehouse reads as "still working", not as a frozen page.
import { useEffect, useState } from "react";
import { formatElapsed } from "./model-draft";

const KEYFRAMES = "@keyframes sluice-working{0%{transform:translateX(-110%)}100%{transform:translateX(330%)}}";

export function WorkingBar({ label, className }: { label: string; className?: string }) {
  const [started] = useState(() => Date.now());
  const [now, setNow] = useState(started);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 100);
    return () => clearInterval(timer);
  }, []);
  return (
    <div role="status" aria-live="polite" className={className} data-testid="working">
      <style>{KEYFRAMES}</style>
      <div className="h-1.5 overflow-hidden rounded-full bg-brand-100">
        <div
          className="h-full w-1/3 rounded-full bg-brand-500"
          style={{ animation: "sluice-working 1.1s ease-in-out infinite" }}
          aria-hidden
        />
      </div>
      <p className="mt-1.5 text-xs text-zinc-500 tabular-nums">
        {label} · {formatElapsed(now - started)}
      </p>
    </div>
  );
}
