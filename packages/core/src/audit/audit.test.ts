import { describe, expect, it } from "vitest";
import { createApiKey } from "../api-keys/create-api-key";
import { systemContext } from "../context";
import { asRole, errorCode, testServices, workspaceWithRole } from "../testing/fixtures";
import { listAuditLog } from "./list-audit-log";
import { recordAudit } from "./record-audit";

const s = testServices();

describe("audit log", () => {
  it("pages newest first with a cursor, naming the actor", async () => {
    const ctx = await workspaceWithRole(s, "owner");
    for (let i = 0; i < 5; i++) await createApiKey(ctx, { name: `key ${i}`, role: "viewer" });
    const first = await listAuditLog(ctx, { limit: 2 });
    expect(first.items.map((e) => (e.after as { name: string }).name)).toEqual(["key 4", "key 3"]);
    expect(first.items[0]?.actor).toMatchObject({ type: "user", name: expect.stringMatching(/^owner-/) });
    const second = await listAuditLog(ctx, { limit: 2, ...(first.nextCursor ? { cursor: first.nextCursor } : {}) });
    const third = await listAuditLog(ctx, { limit: 2, ...(second.nextCursor ? { cursor: second.nextCursor } : {}) });
    expect(second.items.map((e) => (e.after as { name: string }).name)).toEqual(["key 2", "key 1"]);
    expect(third.items.map((e) => (e.after as { name: string }).name)).toEqual(["key 0"]);
    expect(third.nextCursor).toBeUndefined();
    expect(await errorCode(listAuditLog(ctx, { cursor: "abc" }))).toBe("BAD_REQUEST");
  });

  it("masks secret-looking keys even when a caller passes raw values", async () => {
    const ctx = await workspaceWithRole(s, "owner");
    await s.db.$transaction((tx) =>
      recordAudit(tx, ctx, {
        action: "test.raw",
        targetType: "test",
        after: { config: { password: "pw-raw-1", headers: { a: "b" } }, name: "n" },
      }),
    );
    const [entry] = (await listAuditLog(ctx)).items;
    expect(entry?.after).toEqual({ config: { password: "••••••••", headers: { a: "b" } }, name: "n" });
    expect(JSON.stringify(entry)).not.toContain("pw-raw-1");
  });

  it("is for admins only, and never shows another workspace's entries", async () => {
    const ctx = await workspaceWithRole(s, "owner");
    const other = await workspaceWithRole(s, "owner");
    await createApiKey(other, { name: "theirs", role: "viewer" });
    expect((await listAuditLog(ctx)).items).toEqual([]);
    expect(await errorCode(listAuditLog(await asRole(ctx, "editor")))).toBe("FORBIDDEN");
    expect((await listAuditLog(await asRole(ctx, "admin"))).items).toEqual([]);
  });

  it("records what Sluice itself did (CLI, scheduler) as a system actor", async () => {
    const owner = await workspaceWithRole(s, "owner");
    const cli = systemContext(s, { workspaceId: owner.workspaceId, workspaceSlug: owner.workspaceSlug, name: "sluice CLI" });
    await createApiKey(cli, { name: "from the cli", role: "viewer" });
    const [entry] = (await listAuditLog(owner)).items;
    expect(entry).toMatchObject({ action: "apiKey.create", actor: { type: "system", id: null } });
  });
});
