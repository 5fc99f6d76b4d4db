// Rules shared by every membership change: only owners make or unmake owners, and a workspace always
// keeps at least one owner. The workspace row is locked first so two owners demoting each other at the
// same moment cannot both succeed and leave nobody in charge.
import type { Role } from "@sluice/contracts/roles";
import type { Tx } from "@sluice/db";
import type { WorkspaceContext } from "../context";
import { AppError } from "../errors";

export async function lockWorkspace(tx: Tx, workspaceId: string): Promise<void> {
  await tx.$queryRaw`select id from workspace where id = ${workspaceId} for update`;
}

export function assertMayTouchOwnership(ctx: WorkspaceContext, from: Role | undefined, to: Role | undefined): void {
  if ((from === "owner" || to === "owner") && ctx.role !== "owner") {
    throw new AppError("FORBIDDEN", `Your role (${ctx.role}) cannot grant or take away the owner role; only an owner can.`);
  }
}

export async function assertAnotherOwnerRemains(tx: Tx, workspaceId: string, leavingUserId: string): Promise<void> {
  const others = await tx.membership.count({ where: { workspaceId, role: "owner", userId: { not: leavingUserId } } });
  if (others === 0) {
    throw new AppError("CONFLICT", "A workspace needs at least one owner. Make another member an owner first.");
  }
}
