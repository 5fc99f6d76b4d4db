import { uniqueName } from "@sluice/db/testing";
import { describe, expect, it } from "vitest";
import { isAppError } from "../errors";
import { createUser, errorCode, testServices } from "../testing/fixtures";
import { createWorkspace } from "./create-workspace";
import { getWorkspaceSummary } from "./get-workspace-summary";
import { listWorkspacesForUser } from "./list-workspaces-for-user";
import { resolveWorkspaceForUser } from "./resolve-workspace-for-user";
import { slugify } from "./slugify";

const s = testServices();

describe("workspaces", () => {
  it("makes the creator owner, derives the slug from the name, and audits the creation", async () => {
    const user = await createUser(s);
    const name = `Ácme Data ${uniqueName("t")}`;
    const ws = await createWorkspace(s, { userId: user.id, name });
    expect(ws.slug).toBe(slugify(name));
    expect(ws.slug).toMatch(/^acme-data-t-[0-9a-f]{8}$/);
    const membership = await s.db.membership.findFirst({ where: { workspaceId: ws.id, userId: user.id } });
    expect(membership?.role).toBe("owner");
    const audit = await s.db.auditLog.findMany({ where: { workspaceId: ws.id } });
    expect(audit.map((a) => [a.action, a.actorUserId])).toEqual([["workspace.create", user.id]]);
    expect(await listWorkspacesForUser(s, user.id)).toEqual([{ ...ws, role: "owner" }]);
  });

  it("refuses a chosen slug that is taken with a slug field error, but suffixes a derived one", async () => {
    const user = await createUser(s);
    const slug = uniqueName("taken");
    await createWorkspace(s, { userId: user.id, name: "First", slug });
    const error = await createWorkspace(s, { userId: user.id, name: "Second", slug }).catch((e) => e);
    expect(isAppError(error) && error.code).toBe("CONFLICT");
    expect(error.fieldErrors.slug[0]).toContain("already taken");
    const derived = await createWorkspace(s, { userId: user.id, name: slug });
    expect(derived.slug).not.toBe(slug);
    expect(derived.slug.startsWith(slug.slice(0, 30))).toBe(true);
  });

  it("rejects invalid input with field errors and writes nothing", async () => {
    const user = await createUser(s);
    const error = await createWorkspace(s, { userId: user.id, name: "x", slug: "Bad Slug" }).catch((e) => e);
    expect(error.code).toBe("BAD_REQUEST");
    expect(Object.keys(error.fieldErrors).sort()).toEqual(["name", "slug"]);
    expect(await s.db.membership.count({ where: { userId: user.id } })).toBe(0);
  });

  it("resolves only for members: a non-member gets NOT_FOUND, like a slug that does not exist", async () => {
    const owner = await createUser(s);
    const stranger = await createUser(s);
    const ws = await createWorkspace(s, { userId: owner.id, name: "Private team" });
    const ctx = await resolveWorkspaceForUser(s, { userId: owner.id, slug: ws.slug });
    expect(ctx).toMatchObject({
      workspaceId: ws.id,
      workspaceSlug: ws.slug,
      role: "owner",
      actor: { type: "user", userId: owner.id },
    });
    expect(await errorCode(resolveWorkspaceForUser(s, { userId: stranger.id, slug: ws.slug }))).toBe("NOT_FOUND");
    expect(await errorCode(resolveWorkspaceForUser(s, { userId: stranger.id, slug: "no-such-slug-x" }))).toBe("NOT_FOUND");
  });

  it("summarises the workspace with counts", async () => {
    const owner = await createUser(s);
    const ws = await createWorkspace(s, { userId: owner.id, name: "Counted" });
    const ctx = await resolveWorkspaceForUser(s, { userId: owner.id, slug: ws.slug });
    await s.db.source.create({ data: { workspaceId: ws.id, name: "wh", type: "postgres", config: {} } });
    const summary = await getWorkspaceSummary(ctx);
    expect(summary).toEqual({ ...ws, role: "owner", counts: { sources: 1, destinations: 0, models: 0, syncs: 0, runs: 0 } });
  });
});

describe("slugify", () => {
  it.each([
    ["Acme Data Team", "acme-data-team"],
    ["  Crème brûlée!! ", "creme-brulee"],
    ["日本", "workspace"],
    [`${"a".repeat(39)} b`, "a".repeat(39)],
  ])("%s → %s", (name, slug) => {
    expect(slugify(name)).toBe(slug);
  });
});
