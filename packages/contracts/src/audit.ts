// Audit log paging input.
import { z } from "zod";

export const AUDIT_PAGE_MAX = 200;

export const ListAuditLogInput = z.object({
  cursor: z.string().regex(/^\d+$/, "Invalid cursor").optional(),
  limit: z.number().int().min(1).max(AUDIT_PAGE_MAX).optional(),
});
export type ListAuditLogInput = z.infer<typeof ListAuditLogInput>;
