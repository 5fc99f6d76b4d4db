// What a demo destination received, newest first, for the inbox page. Scoped to the caller's workspace:
// a destination id from another workspace is simply not found.
import { z } from "zod";
import { authorize, type WorkspaceContext } from "../context";
import { AppError } from "../errors";
import { parseInput } from "../validate-input";

export const ListDemoInboxInput = z.object({
  destinationId: z.string().min(1),
  limit: z.number().int().min(1).max(200).default(50),
  /** `nextCursor` from the previous page: the id of its last (oldest) item. */
  cursor: z
    .string()
    .regex(/^\d{1,19}$/, "cursor must come from a previous page")
    .optional(),
});

export interface DemoInboxItem {
  id: string;
  op: string;
  recordKey: unknown;
  data: unknown;
  batchId: string | null;
  receivedAt: Date;
}

export async function listDemoInbox(
  ctx: WorkspaceContext,
  input: z.input<typeof ListDemoInboxInput>,
): Promise<{ total: number; items: DemoInboxItem[]; nextCursor?: string }> {
  authorize(ctx, "destination.read");
  const { destinationId, limit, cursor } = parseInput(ListDemoInboxInput, input);

  const destination = await ctx.db.destination.findFirst({
    where: { id: destinationId, workspaceId: ctx.workspaceId },
    select: { id: true },
  });
  if (!destination) throw new AppError("NOT_FOUND", "Destination not found");

  const where = { destinationId, ...(cursor ? { id: { lt: BigInt(cursor) } } : {}) };
  const [total, rows] = await Promise.all([
    ctx.db.demoInboxRecord.count({ where: { destinationId } }),
    ctx.db.demoInboxRecord.findMany({ where, orderBy: { id: "desc" }, take: limit + 1 }),
  ]);
  const page = rows.slice(0, limit);
  const items = page.map((r) => ({
    id: r.id.toString(),
    op: r.op,
    recordKey: r.recordKey,
    data: r.data,
    batchId: r.batchId,
    receivedAt: r.receivedAt,
  }));
  const last = items.at(-1);
  return rows.length > limit && last ? { total, items, nextCursor: last.id } : { total, items };
}
