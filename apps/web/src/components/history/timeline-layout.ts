// The run detail's timeline bar: each state the run went through as a segment whose width is its share of
// the run's time — but never thinner than a readable minimum, so a 40 ms "planning" between a 2 s queue and
// a 30 s delivery still shows (and can be hovered). The final state is a marker, not a segment.
import type { RunStatus } from "@sluice/contracts/run-view";

/** run.detail's steps (the fields the bar reads). */
export interface TimelineStep {
  status: RunStatus;
  enteredAt: string;
  durationMs: number | null;
  current: boolean;
}

export interface TimelineSegment {
  status: RunStatus;
  /** Position of the step in `steps` (states can repeat: a run paused and resumed delivers twice). */
  step: number;
  enteredAt: string;
  durationMs: number;
  /** Left edge and width in percent of the bar; widths sum to 100. */
  startPct: number;
  widthPct: number;
  current: boolean;
}

export interface TimelineLayout {
  segments: TimelineSegment[];
  /** The state the run ended in (succeeded, failed, cancelled), when it has ended. */
  final: { status: RunStatus; enteredAt: string; step: number } | null;
  totalMs: number;
}

/** Thinnest segment, in percent of the bar. */
export const MIN_SEGMENT_PCT = 4;

export function layoutTimeline(steps: readonly TimelineStep[], minPct = MIN_SEGMENT_PCT): TimelineLayout {
  const timed = steps.flatMap((s, step) => (s.durationMs === null ? [] : [{ ...s, step, durationMs: s.durationMs }]));
  const last = steps.at(-1);
  const final =
    last && last.durationMs === null ? { status: last.status, enteredAt: last.enteredAt, step: steps.length - 1 } : null;
  const totalMs = timed.reduce((sum, s) => sum + s.durationMs, 0);
  const widths = fitWidths(
    timed.map((s) => (totalMs > 0 ? (s.durationMs / totalMs) * 100 : 100 / timed.length)),
    minPct,
  );
  let start = 0;
  const segments = timed.map((s, i) => {
    const widthPct = widths[i] as number;
    const segment: TimelineSegment = {
      status: s.status,
      step: s.step,
      enteredAt: s.enteredAt,
      durationMs: s.durationMs,
      startPct: start,
      widthPct,
      current: s.current,
    };
    start += widthPct;
    return segment;
  });
  return { segments, final, totalMs };
}

/**
 * Raises every share below `minPct` to it and takes the difference from the wider ones, in proportion to
 * how far each is above the minimum, so the order of sizes is kept and the total stays 100.
 */
export function fitWidths(shares: readonly number[], minPct: number): number[] {
  if (shares.length === 0) return [];
  const floor = Math.min(minPct, 100 / shares.length);
  let widths = shares.map((s) => Math.max(s, floor));
  for (let i = 0; i < shares.length; i++) {
    const excess = widths.reduce((a, b) => a + b, 0) - 100;
    if (excess <= 1e-9) break;
    const room = widths.reduce((sum, w) => sum + Math.max(0, w - floor), 0);
    if (room <= 0) break;
    widths = widths.map((w) => (w > floor ? Math.max(floor, w - (excess * (w - floor)) / room) : w));
  }
  return widths;
}
