// The V8 heap setting of a process that runs syncs (the worker, and the benchmark's engine child, which must
// measure what the worker does). Delivery allocates fast and keeps little (a page of rows, a few request
// bodies), so V8's default policy — let the old generation grow to about 4× what survived the last full
// collection before collecting again — turns a ~35 MB live heap into a ~150 MB peak of garbage. Growing by
// 2× instead keeps the peak near 80 MB for the same CPU (full collections of a small live heap cost a few
// ms each): measured at 1M rows, peak RSS 306 MB → 228 MB (`npm run bench`).
import v8 from "node:v8";

export const HEAP_GROWING_PERCENT = 100;

/** Applies the setting to this process; V8 reads it after every full collection, so it holds from then on. */
export function tuneHeapForDelivery(): void {
  v8.setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
