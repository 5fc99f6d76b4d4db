import type { Role } from "@sluice/contracts/roles";

export interface MemberView {
  userId: string;
  name: string;
  email: string;
  role: Role;
  joinedAt: Date;
}

export function toMemberView(m: {
  userId: string;
  role: Role;
  createdAt: Date;
  user: { name: string; email: string };
}): MemberView {
  return { userId: m.userId, name: m.user.name, email: m.user.email, role: m.role, joinedAt: m.createdAt };
}
