import { describe, expect, it } from "vitest";
import { asRole, createUser, errorCode, testServices, workspaceWithRole } from "../testing/fixtures";
import { addMember } from "./add-member";
import { changeMemberRole } from "./change-member-role";
import { listMembers } from "./list-members";
import { removeMember } from "./remove-member";

const s = testServices();

describe("members", () => {
  it("adds an existing user by email, lists, changes role and removes", async () => {
    const ctx = await workspaceWithRole(s, "owner");
    const user = await createUser(s, "newbie");
    const added = await addMember(ctx, { email: user.email.toUpperCase(), role: "editor" });
    expect(added).toMatchObject({ userId: user.id, email: user.email, role: "editor" });
    expect((await listMembers(ctx)).map((m) => m.role).sort()).toEqual(["editor", "owner"]);
    expect((await changeMemberRole(ctx, { userId: user.id, role: "viewer" })).role).toBe("viewer");
    await removeMember(ctx, { userId: user.id });
    expect((await listMembers(ctx)).map((m) => m.userId)).toEqual([ctx.ownerId]);
    expect(
      await errorCode(
        addMember(ctx, { email: user.email, role: "viewer" }).then(() => addMember(ctx, { email: user.email, role: "viewer" })),
      ),
    ).toBe("CONFLICT");
  });

  it("says to sign up first for an unknown email", async () => {
    const ctx = await workspaceWithRole(s, "owner");
    const error = await addMember(ctx, { email: "nobody-here@example.com", role: "viewer" }).catch((e) => e);
    expect(error.code).toBe("NOT_FOUND");
    expect(error.message).toBe("No user with that email — ask them to sign up first.");
  });

  it("never removes or demotes the last owner", async () => {
    const ctx = await workspaceWithRole(s, "owner");
    expect(await errorCode(removeMember(ctx, { userId: ctx.ownerId }))).toBe("CONFLICT");
    expect(await errorCode(changeMemberRole(ctx, { userId: ctx.ownerId, role: "admin" }))).toBe("CONFLICT");
    const other = await createUser(s);
    await addMember(ctx, { email: other.email, role: "owner" });
    await removeMember(ctx, { userId: ctx.ownerId });
    expect((await listMembers(ctx)).map((m) => [m.userId, m.role])).toEqual([[other.id, "owner"]]);
  });

  it("only owners grant or take away ownership; viewers and editors manage nobody", async () => {
    const ctx = await workspaceWithRole(s, "owner");
    const admin = await asRole(ctx, "admin");
    const editor = await asRole(ctx, "editor");
    const viewer = await asRole(ctx, "viewer");
    const user = await createUser(s);
    expect(await errorCode(addMember(admin, { email: user.email, role: "owner" }))).toBe("FORBIDDEN");
    expect(await errorCode(changeMemberRole(admin, { userId: ctx.ownerId, role: "viewer" }))).toBe("FORBIDDEN");
    expect(await errorCode(removeMember(admin, { userId: ctx.ownerId }))).toBe("FORBIDDEN");
    expect(await errorCode(addMember(editor, { email: user.email, role: "viewer" }))).toBe("FORBIDDEN");
    expect(await errorCode(addMember(viewer, { email: user.email, role: "viewer" }))).toBe("FORBIDDEN");
    expect(await errorCode(changeMemberRole(viewer, { userId: user.id, role: "viewer" }))).toBe("FORBIDDEN");
    expect((await addMember(admin, { email: user.email, role: "admin" })).role).toBe("admin");
    // Anyone may leave.
    if (viewer.actor.type !== "user") throw new Error("expected a user actor");
    await removeMember(viewer, { userId: viewer.actor.userId });
    expect((await listMembers(ctx)).some((m) => m.role === "viewer")).toBe(false);
  });

  it("a member of another workspace is NOT_FOUND here", async () => {
    const ctx = await workspaceWithRole(s, "owner");
    const other = await workspaceWithRole(s, "owner");
    expect(await errorCode(removeMember(ctx, { userId: other.ownerId }))).toBe("NOT_FOUND");
    expect(await errorCode(changeMemberRole(ctx, { userId: other.ownerId, role: "viewer" }))).toBe("NOT_FOUND");
  });
});
