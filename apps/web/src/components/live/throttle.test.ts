import { describe, expect, it } from "vitest";
import { addThrottleSample, type ThrottleSample, throttleState } from "./throttle";

function feed(readings: [number, number][]): ThrottleSample[] {
  return readings.reduce<ThrottleSample[]>((acc, [at, throttledMs]) => addThrottleSample(acc, { at, throttledMs }), []);
}

describe("throttleState", () => {
  it("is quiet while the run never waits", () => {
    const samples = feed([
      [0, 0],
      [500, 0],
      [1_000, 0],
      [1_500, 0],
    ]);
    expect(throttleState(samples, 1_500)).toEqual({ active: false, recentMs: 0, share: 0 });
  });

  it("turns on when the waited time grows, with the share of time spent waiting", () => {
    const samples = feed([
      [0, 1_000],
      [1_000, 1_400],
      [2_000, 2_000],
    ]);
    const state = throttleState(samples, 2_000);
    expect(state.active).toBe(true);
    expect(state.recentMs).toBe(1_000);
    expect(state.share).toBeCloseTo(0.5, 6);
  });

  it("ignores a short backoff and an old total that stopped growing", () => {
    expect(
      throttleState(
        feed([
          [0, 0],
          [1_000, 100],
        ]),
        1_000,
      ).active,
    ).toBe(false);
    // Throttled long ago (a big total) but flat for the whole window: not throttled now.
    const flat = feed([
      [0, 0],
      [1_000, 30_000],
      [12_000, 30_000],
      [20_000, 30_000],
    ]);
    expect(throttleState(flat, 20_000)).toMatchObject({ active: false, recentMs: 0 });
  });

  it("counts growth seen against the last reading before the window", () => {
    const samples = feed([
      [0, 0],
      [15_000, 2_000],
    ]);
    expect(samples).toHaveLength(2);
    expect(throttleState(samples, 15_000)).toMatchObject({ active: true, recentMs: 2_000 });
    // Ten seconds later with nothing new, it has left the window.
    expect(throttleState(samples, 25_001).active).toBe(false);
  });

  it("treats a lower total (another worker reporting) as a new baseline, not negative waiting", () => {
    const samples = feed([
      [0, 5_000],
      [1_000, 200],
      [2_000, 900],
    ]);
    expect(throttleState(samples, 2_000)).toMatchObject({ active: true, recentMs: 700 });
  });
});

describe("addThrottleSample", () => {
  it("keeps only the window and one baseline before it", () => {
    const samples = feed(Array.from({ length: 60 }, (_, i): [number, number] => [i * 500, i * 10]));
    expect(samples[0]?.at).toBe(29_500 - 10_000 - 500);
    expect(samples.at(-1)?.at).toBe(29_500);
    expect(samples).toHaveLength(22);
  });
});
