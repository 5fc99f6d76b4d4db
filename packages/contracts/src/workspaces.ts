// Workspace inputs. A slug is the workspace's URL segment, so it stays short, lowercase and DNS-label-like.
import { z } from "zod";

export const WORKSPACE_SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/;

export const WorkspaceSlug = z
  .string()
  .trim()
  .regex(WORKSPACE_SLUG_PATTERN, "Use 1–40 lowercase letters, digits or dashes, starting and ending with a letter or digit");

export const CreateWorkspaceInput = z.object({
  name: z.string().trim().min(2, "Use at least 2 characters").max(60, "Use at most 60 characters"),
  slug: WorkspaceSlug.optional(),
});
export type CreateWorkspaceInput = z.infer<typeof CreateWorkspaceInput>;
