// A new workspace whose creator is its first owner. A chosen slug that is taken is a field error; a
// slug derived from the name gets a short suffix instead, since the user never asked for that exact one.
import { randomBytes } from "node:crypto";
import { CreateWorkspaceInput } from "@sluice/contracts/workspaces";
import { recordAudit } from "../audit/record-audit";
import type { Services, WorkspaceContext } from "../context";
import { AppError } from "../errors";
import { isUniqueViolation, parseInput } from "../validate-input";
import { SLUG_MAX_LENGTH, slugify } from "./slugify";

const DERIVED_SLUG_ATTEMPTS = 5;

export async function createWorkspace(
  s: Services,
  input: { userId: string; name: string; slug?: string },
): Promise<{ id: string; slug: string; name: string }> {
  const { name, slug: chosen } = parseInput(CreateWorkspaceInput, { name: input.name, slug: input.slug });
  const base = chosen ?? slugify(name);
  for (let attempt = 0; attempt < DERIVED_SLUG_ATTEMPTS; attempt++) {
    const slug = attempt === 0 ? base : `${base.slice(0, SLUG_MAX_LENGTH - 5)}-${randomBytes(2).toString("hex")}`;
    try {
      return await insert(s, input.userId, name, slug);
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      if (chosen) throw new AppError("CONFLICT", "That slug is taken.", { slug: [`"${slug}" is already taken; choose another`] });
    }
  }
  throw new AppError("CONFLICT", "Could not find a free slug; choose one yourself.", { slug: ["Choose a slug"] });
}

async function insert(s: Services, userId: string, name: string, slug: string) {
  return s.db.$transaction(async (tx) => {
    const workspace = await tx.workspace.create({ data: { name, slug, memberships: { create: { userId, role: "owner" } } } });
    const ctx: WorkspaceContext = {
      ...s,
      workspaceId: workspace.id,
      workspaceSlug: slug,
      role: "owner",
      actor: { type: "user", userId },
    };
    const view = { id: workspace.id, slug, name };
    await recordAudit(tx, ctx, { action: "workspace.create", targetType: "workspace", targetId: workspace.id, after: view });
    return view;
  });
}
