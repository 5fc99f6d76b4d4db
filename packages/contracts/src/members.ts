// Membership inputs: who belongs to a workspace and with which role.
import { z } from "zod";
import { RoleSchema } from "./roles";

export const AddMemberInput = z.object({
  email: z.string().trim().toLowerCase().pipe(z.email("Enter a valid email address")),
  role: RoleSchema,
});
export type AddMemberInput = z.infer<typeof AddMemberInput>;

export const ChangeMemberRoleInput = z.object({ userId: z.string().min(1), role: RoleSchema });
export type ChangeMemberRoleInput = z.infer<typeof ChangeMemberRoleInput>;

export const RemoveMemberInput = z.object({ userId: z.string().min(1) });
export type RemoveMemberInput = z.infer<typeof RemoveMemberInput>;
