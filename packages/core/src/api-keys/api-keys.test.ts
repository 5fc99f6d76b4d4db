import { describe, expect, it } from "vitest";
import { asRole, errorCode, testServices, workspaceWithRole } from "../testing/fixtures";
import { resolveWorkspaceForApiKey } from "../workspaces/resolve-workspace-for-api-key";
import { hashApiKey } from "./api-key-format";
import { createApiKey } from "./create-api-key";
import { listApiKeys } from "./list-api-keys";
import { revokeApiKey } from "./revoke-api-key";

const s = testServices();

describe("API keys", () => {
  it("creates a key shown once, stores only its hash and prefix, and resolves it to the workspace with its role", async () => {
    const ctx = await workspaceWithRole(s, "admin");
    const { apiKey, plaintext } = await createApiKey(ctx, { name: "CI", role: "editor" });
    expect(plaintext).toMatch(/^slk_[A-Za-z0-9_-]{43}$/);
    expect(apiKey.prefix).toBe(plaintext.slice(0, 12));
    const [row] = await s.db.$queryRaw<Record<string, unknown>[]>`select * from api_key where id = ${apiKey.id}`;
    expect(row?.hashedKey).toBe(hashApiKey(plaintext));
    expect(JSON.stringify(row)).not.toContain(plaintext);
    expect(JSON.stringify(row)).not.toContain(plaintext.slice(12));
    expect(JSON.stringify(await listApiKeys(ctx))).not.toContain(plaintext.slice(12));

    const keyCtx = await resolveWorkspaceForApiKey(s, plaintext);
    expect(keyCtx).toMatchObject({
      workspaceId: ctx.workspaceId,
      role: "editor",
      actor: { type: "apiKey", apiKeyId: apiKey.id },
    });
    const [used] = await listApiKeys(ctx);
    expect(used?.lastUsedAt).toBeInstanceOf(Date);
  });

  it("stops working once revoked, and unknown keys are refused the same way", async () => {
    const ctx = await workspaceWithRole(s, "owner");
    const { apiKey, plaintext } = await createApiKey(ctx, { name: "old", role: "viewer" });
    const revoked = await revokeApiKey(ctx, { id: apiKey.id });
    expect(revoked.revokedAt).toBeInstanceOf(Date);
    expect(await errorCode(resolveWorkspaceForApiKey(s, plaintext))).toBe("UNAUTHORIZED");
    expect(await errorCode(resolveWorkspaceForApiKey(s, `${plaintext.slice(0, -1)}x`))).toBe("UNAUTHORIZED");
    expect(await errorCode(resolveWorkspaceForApiKey(s, "not-a-key"))).toBe("UNAUTHORIZED");
    const actions = await s.db.auditLog.findMany({ where: { workspaceId: ctx.workspaceId }, orderBy: { id: "asc" } });
    expect(actions.map((a) => a.action)).toEqual(["apiKey.create", "apiKey.revoke"]);
    expect(JSON.stringify(actions.map((a) => [a.before, a.after]))).not.toContain(plaintext.slice(12));
  });

  it("only admins manage keys; another workspace's key is NOT_FOUND", async () => {
    const ctx = await workspaceWithRole(s, "owner");
    const editor = await asRole(ctx, "editor");
    const viewer = await asRole(ctx, "viewer");
    expect(await errorCode(createApiKey(editor, { name: "x", role: "viewer" }))).toBe("FORBIDDEN");
    expect(await errorCode(createApiKey(viewer, { name: "x", role: "viewer" }))).toBe("FORBIDDEN");
    expect(await errorCode(listApiKeys(editor))).toBe("FORBIDDEN");
    const { apiKey } = await createApiKey(ctx, { name: "mine", role: "admin" });
    expect(await errorCode(revokeApiKey(editor, { id: apiKey.id }))).toBe("FORBIDDEN");
    const other = await workspaceWithRole(s, "owner");
    expect(await errorCode(revokeApiKey(other, { id: apiKey.id }))).toBe("NOT_FOUND");
    expect(await errorCode(createApiKey(ctx, { name: "x", role: "owner" as "admin" }))).toBe("BAD_REQUEST");
  });

  it("a key acts with its own role: a viewer key cannot create keys", async () => {
    const ctx = await workspaceWithRole(s, "owner");
    const { plaintext } = await createApiKey(ctx, { name: "ro", role: "viewer" });
    const keyCtx = await resolveWorkspaceForApiKey(s, plaintext);
    const error = await createApiKey(keyCtx, { name: "escalate", role: "admin" }).catch((e) => e);
    expect(error.code).toBe("FORBIDDEN");
    expect(error.message).toBe("This API key's role (viewer) cannot create or revoke API keys; that needs admin or above.");
  });
});
