// "The destination is slowing us down": the live state carries the time the run has spent waiting on rate
// limits and back pressure so far (throttledMs, a running total on the reporting worker). The page keeps the
// recent readings and says the run is being throttled while that total grows. A total that goes down means
// another worker reports now (each counts its own): that reading starts a new baseline, not a negative wait.

export interface ThrottleSample {
  /** When the page received the reading (ms since epoch). */
  at: number;
  throttledMs: number;
}

/** Readings older than this stop counting. */
export const THROTTLE_WINDOW_MS = 10_000;
/** Waiting less than this within the window is noise (a single short backoff). */
export const THROTTLE_MIN_WAIT_MS = 250;

/** The readings with `next` added, dropping those out of the window but the last one before it (a baseline). */
export function addThrottleSample(
  samples: readonly ThrottleSample[],
  next: ThrottleSample,
  windowMs = THROTTLE_WINDOW_MS,
): ThrottleSample[] {
  const all = [...samples, next];
  const firstInWindow = all.findIndex((s) => next.at - s.at <= windowMs);
  return all.slice(Math.max(0, firstInWindow - 1));
}

export interface ThrottleState {
  /** The total grew by at least THROTTLE_MIN_WAIT_MS within the window. */
  active: boolean;
  /** Time spent waiting within the window. */
  recentMs: number;
  /** Share of the window's wall time spent waiting (0–1); null until a second of readings is in. */
  share: number | null;
}

export function throttleState(
  samples: readonly ThrottleSample[],
  now: number,
  o: { windowMs?: number; minWaitMs?: number } = {},
): ThrottleState {
  const windowMs = o.windowMs ?? THROTTLE_WINDOW_MS;
  const minWaitMs = o.minWaitMs ?? THROTTLE_MIN_WAIT_MS;
  let recentMs = 0;
  let since: number | null = null;
  for (let i = 1; i < samples.length; i++) {
    const before = samples[i - 1] as ThrottleSample;
    const after = samples[i] as ThrottleSample;
    if (now - after.at > windowMs) continue;
    since ??= Math.max(before.at, now - windowMs);
    const grew = after.throttledMs - before.throttledMs;
    if (grew > 0) recentMs += grew;
  }
  const span = since === null ? 0 : now - since;
  return {
    active: recentMs >= minWaitMs,
    recentMs,
    share: span >= 1_000 ? Math.min(1, recentMs / span) : null,
  };
}
