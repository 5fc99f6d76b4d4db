import type { DiffRow } from "@sluice/connectors/kit/warehouse";
import { describe, expect, it } from "vitest";
import { CHUNK_ROWS, diffPages } from "./diff-pages";

const rows = (n: number): DiffRow[] =>
  Array.from({ length: n }, (_, i) => ({
    op: "added",
    key: { id: i + 1 },
    row: { id: i + 1 },
    hash: `h${i + 1}`,
    prevHash: null,
  }));

/** A keyset reader over `all`, recording each call. */
function reader(all: DiffRow[]) {
  const calls: { after: unknown[] | null; limit: number }[] = [];
  const read = async (after: unknown[] | null, limit: number) => {
    calls.push({ after, limit });
    const from = after === null ? 0 : all.findIndex((r) => r.key.id === after[0]) + 1;
    return all.slice(from, from + limit);
  };
  return { calls, read, positionOf: (r: DiffRow) => [r.key.id] };
}

async function drain(next: () => Promise<DiffRow[]>): Promise<number[][]> {
  const pages: number[][] = [];
  for (;;) {
    const page = await next();
    if (page.length === 0) return pages;
    pages.push(page.map((r) => Number(r.key.id)));
  }
}

describe("diffPages", () => {
  it("hands out batches in key order from chunks of several batches, reading the next chunk ahead", async () => {
    const all = rows(CHUNK_ROWS * 2 + 700);
    const r = reader(all);
    const pages = await drain(diffPages({ ...r, from: null, batchSize: 500 }));
    expect(pages.flat()).toEqual(all.map((x) => x.key.id));
    expect(pages.map((p) => p.length)).toEqual([...Array(2 * (CHUNK_ROWS / 500)).fill(500), 500, 200]);
    expect(r.calls.map((c) => c.limit)).toEqual([CHUNK_ROWS, CHUNK_ROWS, CHUNK_ROWS]);
    expect(r.calls.map((c) => c.after)).toEqual([null, [CHUNK_ROWS], [2 * CHUNK_ROWS]]);
  });

  it("starts after the checkpoint, never reads past a short chunk, and keeps batches whole when the chunk is a multiple", async () => {
    const all = rows(1_234);
    const r = reader(all);
    const pages = await drain(diffPages({ ...r, from: [100], batchSize: 300 }));
    expect(pages[0]?.[0]).toBe(101);
    expect(pages.flat()).toEqual(all.slice(100).map((x) => x.key.id));
    expect(pages.map((p) => p.length)).toEqual([300, 300, 300, 234]);
    expect(r.calls).toEqual([{ after: [100], limit: 1_800 }]); // one short chunk: the end
  });

  it("reads one batch per query when a batch is larger than a chunk, and no more than the reader's maximum", async () => {
    const r = reader(rows(25));
    const pages = await drain(diffPages({ ...r, from: null, batchSize: 10, maxChunk: 10 }));
    expect(pages.map((p) => p.length)).toEqual([10, 10, 5]);
    expect(r.calls.every((c) => c.limit === 10)).toBe(true);
    const big = reader(rows(CHUNK_ROWS + 1));
    await drain(diffPages({ ...big, from: null, batchSize: CHUNK_ROWS * 3 }));
    expect(big.calls.map((c) => c.limit)).toEqual([CHUNK_ROWS * 3]);
  });

  it("gives nothing for an empty diff", async () => {
    const r = reader([]);
    expect(await drain(diffPages({ ...r, from: null, batchSize: 100 }))).toEqual([]);
    expect(r.calls).toHaveLength(1);
  });
});
