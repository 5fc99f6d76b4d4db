// tRPC procedures through createCaller: membership scoping, roles, and error codes with field errors.
import "@/test/setup-env";
import { TRPCError } from "@trpc/server";
import { describe, expect, it } from "vitest";
import { services } from "@/server/services";
import { addUserWithRole, createUser, createWorkspaceWithOwner } from "@/test/fixtures";
import { createCaller } from "./root";

function callerFor(user: { id: string; name: string; email: string } | null) {
  return createCaller({ services: services(), user });
}

async function trpcError(promise: Promise<unknown>): Promise<TRPCError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TRPCError);
  return error as TRPCError;
}

describe("tRPC workspace scoping", () => {
  it("answers NOT_FOUND to a signed-in user who is not a member", async () => {
    const s = services();
    const { ctx } = await createWorkspaceWithOwner(s);
    const outsider = await createUser(s, "outsider");
    const caller = callerFor(outsider);
    const error = await trpcError(caller.workspace.summary({ workspace: ctx.workspaceSlug }));
    expect(error.code).toBe("NOT_FOUND");
    expect((await trpcError(caller.source.list({ workspace: ctx.workspaceSlug }))).code).toBe("NOT_FOUND");
    // A workspace that does not exist looks exactly the same.
    expect((await trpcError(caller.workspace.summary({ workspace: "no-such-workspace-anywhere" }))).code).toBe("NOT_FOUND");
  });

  it("answers UNAUTHORIZED without a session", async () => {
    const error = await trpcError(callerFor(null).workspace.list());
    expect(error.code).toBe("UNAUTHORIZED");
  });

  it("lets a member read the workspace summary", async () => {
    const s = services();
    const { ctx } = await createWorkspaceWithOwner(s);
    const viewer = await addUserWithRole(s, ctx, "viewer");
    const summary = await callerFor(viewer).workspace.summary({ workspace: ctx.workspaceSlug });
    expect(summary).toMatchObject({ slug: ctx.workspaceSlug, role: "viewer", counts: { sources: 0, syncs: 0 } });
  });
});

describe("tRPC roles", () => {
  it("refuses a viewer creating an API key (FORBIDDEN) and creates nothing", async () => {
    const s = services();
    const { ctx } = await createWorkspaceWithOwner(s);
    const viewer = await addUserWithRole(s, ctx, "viewer");
    const error = await trpcError(
      callerFor(viewer).apiKey.create({ workspace: ctx.workspaceSlug, name: "sneaky", role: "admin" }),
    );
    expect(error.code).toBe("FORBIDDEN");
    expect(await s.db.apiKey.count({ where: { workspaceId: ctx.workspaceId } })).toBe(0);
  });

  it("lets an admin create a key whose plaintext is returned once and listed only by prefix", async () => {
    const s = services();
    const { ctx } = await createWorkspaceWithOwner(s);
    const admin = await addUserWithRole(s, ctx, "admin");
    const caller = callerFor(admin);
    const created = await caller.apiKey.create({ workspace: ctx.workspaceSlug, name: "CI", role: "editor" });
    expect(created.plaintext).toMatch(/^slk_/);
    const listed = await caller.apiKey.list({ workspace: ctx.workspaceSlug });
    expect(JSON.stringify(listed)).not.toContain(created.plaintext);
    expect(listed[0]?.prefix).toBe(created.plaintext.slice(0, listed[0]?.prefix.length));
  });

  it("refuses an editor managing members", async () => {
    const s = services();
    const { ctx } = await createWorkspaceWithOwner(s);
    const editor = await addUserWithRole(s, ctx, "editor");
    const other = await createUser(s, "other");
    const error = await trpcError(
      callerFor(editor).member.add({ workspace: ctx.workspaceSlug, email: other.email, role: "viewer" }),
    );
    expect(error.code).toBe("FORBIDDEN");
  });
});

describe("tRPC errors carry field errors", () => {
  it("reports a taken slug on the slug field", async () => {
    const s = services();
    const { ctx } = await createWorkspaceWithOwner(s);
    const user = await createUser(s, "creator");
    const error = await trpcError(callerFor(user).workspace.create({ name: "Another", slug: ctx.workspaceSlug }));
    expect(error.code).toBe("CONFLICT");
    expect((error.cause as { fieldErrors?: Record<string, string[]> }).fieldErrors?.slug?.[0]).toMatch(/taken/);
  });
});
