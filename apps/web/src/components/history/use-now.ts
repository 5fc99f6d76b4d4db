"use client";
import { useEffect, useState } from "react";

/** The time now, re-rendering every `everyMs` while `on` (so a running duration ticks between polls). */
export function useNow(on: boolean, everyMs = 1_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!on) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [on, everyMs]);
  return now;
}
