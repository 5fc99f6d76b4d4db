// The diff read in chunks of several batches (one warehouse query per chunk instead of per batch) and
// handed out a batch at a time; the next chunk is read while this one is handed out. Keyset positions stay
// per batch, so checkpoints are exactly as if each batch had been read on its own.
import type { DiffRow } from "@sluice/connectors/kit/warehouse";

/** Rows per warehouse query: several batches' worth, about this many rows (never below one batch). */
export const CHUNK_ROWS = 2_000;

export interface DiffPagesInput {
  /** Reads up to `limit` rows after the keyset position `after` (null: from the start), in key order. */
  read(after: unknown[] | null, limit: number): Promise<DiffRow[]>;
  /** A row's keyset position. */
  positionOf(row: DiffRow): unknown[];
  from: unknown[] | null;
  batchSize: number;
  /** Largest query the reader accepts. */
  maxChunk?: number;
}

/** Returns the next batch on each call; an empty array once the diff is exhausted. */
export function diffPages(o: DiffPagesInput): () => Promise<DiffRow[]> {
  const batch = Math.max(1, Math.floor(o.batchSize));
  const chunk = Math.min(o.maxChunk ?? Number.POSITIVE_INFINITY, Math.max(batch, batch * Math.floor(CHUNK_ROWS / batch)));
  const start = (after: unknown[] | null) => {
    const read = o.read(after, chunk);
    read.catch(() => {}); // awaited when its turn comes; a stop before then must not leave it unhandled
    return read;
  };
  let buffer: DiffRow[] = [];
  let offset = 0;
  let next: Promise<DiffRow[]> | undefined = start(o.from);
  return async () => {
    if (offset >= buffer.length) {
      if (!next) return [];
      buffer = await next;
      offset = 0;
      // A short chunk is the last one (the diff does not change while it is delivered).
      next = buffer.length < chunk ? undefined : start(o.positionOf(buffer[buffer.length - 1] as DiffRow));
      if (buffer.length === 0) return [];
    }
    const page = buffer.slice(offset, offset + batch);
    offset += page.length;
    return page;
  };
}
