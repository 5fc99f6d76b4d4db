// What the benchmark measures and against what (issue 3, item 11). Row counts can be lowered with
// BENCH_ROWS / BENCH_SMALL_ROWS for a quick smoke run; the targets are judged on the defaults.

function rowsFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (!raw) return fallback;
  const n = Number(raw.replaceAll("_", ""));
  if (!Number.isInteger(n) || n < 1_000) throw new Error(`${name} must be an integer of at least 1000 (got "${raw}")`);
  return n;
}

export const ROWS = rowsFromEnv("BENCH_ROWS", 1_000_000);
export const SMALL_ROWS = rowsFromEnv("BENCH_SMALL_ROWS", 100_000);

/** The bare pipe's shape (PLATFORM.md "Measured here"): cursor pages of 5,000, POSTs of 500, 8 in flight. */
export const FETCH_ROWS = 5_000;
export const BATCH_RECORDS = 500;
export const IN_FLIGHT = 8;

/** Incremental changes applied to the big table, as fractions of its rows. */
export const UPDATE_SHARE = 0.05;
export const DELETE_SHARE = 0.01;
export const INSERT_SHARE = 0.01;

/** Bounds, so a stuck step ends the bench (with cleanup) instead of hanging it. */
export const STATEMENT_TIMEOUT_MS = 300_000;
export const ENGINE_RUN_TIMEOUT_MS = 300_000;
export const BARE_PIPE_TIMEOUT_MS = 180_000;
export const BENCH_TIMEOUT_MS = 20 * 60_000;

export const TARGETS = {
  /** Full sync records/s at least this share of the bare pipe's. */
  fullSyncVsBarePipe: 0.5,
  /** Incremental run at most this multiple of bare SQL (snapshot + diff) + bare delivery of the changed rows. */
  incrementalVsBare: 1.5,
  /** Worker peak RSS below this, at 100k and at 1M rows. */
  peakRssMb: 300,
  /** "Flat": the 1M-row peak at most this multiple of the 100k-row peak. */
  rssFlatRatio: 1.25,
} as const;

/**
 * BENCH_ONLY runs one section: `destinations` (issue 4's rate limits alone) or `full-sync` (the 1M-row bare
 * pipe and engine full sync alone, for quick iterations on delivery speed). Unset runs everything.
 */
const ONLY_VALUES = ["destinations", "full-sync"] as const;
export type BenchSection = (typeof ONLY_VALUES)[number];

export function onlySection(): BenchSection | undefined {
  const raw = process.env.BENCH_ONLY?.trim();
  if (!raw) return undefined;
  if (!(ONLY_VALUES as readonly string[]).includes(raw)) {
    throw new Error(`BENCH_ONLY must be unset or one of: ${ONLY_VALUES.join(", ")} (got "${raw}")`);
  }
  return raw as BenchSection;
}

export const WAREHOUSE_SCHEMA = "bench";
export const BARE_SCHEMA = "bench_bare";
