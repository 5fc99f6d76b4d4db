// sync.liveToken through createCaller: who gets a live-view token, what it says, and how it is signed.
import "@/test/setup-env";
import { hkdfSync } from "node:crypto";
import { LIVE_TOKEN_KEY_INFO, LiveTokenClaimsSchema, LiveTokenResponseSchema } from "@sluice/contracts/live";
import { createDestination, createModel, createSource, createSync } from "@sluice/core";
import type { WorkspaceContext } from "@sluice/core/context";
import { parseEncryptionKey } from "@sluice/db/crypto";
import { TRPCError } from "@trpc/server";
import { decodeJwt, jwtVerify } from "jose";
import { describe, expect, it } from "vitest";
import { resolveWebEnv, webEnvSchema } from "@/env-schema";
import { services } from "@/server/services";
import { createCaller } from "@/server/trpc/root";
import { addUserWithRole, createUser, createWorkspaceWithOwner } from "@/test/fixtures";

function callerFor(user: { id: string; name: string; email: string }) {
  return createCaller({ services: services(), user });
}

async function syncIn(ctx: WorkspaceContext) {
  const source = await createSource(ctx, { name: "W", type: "postgres", config: { connectionString: "postgresql://u:p@h/db" } });
  const model = await createModel(ctx, { name: "Customers", sourceId: source.id, query: "select 1 as id", primaryKey: ["id"] });
  const destination = await createDestination(ctx, { name: "Hook", type: "webhook", config: { url: "https://example.com/h" } });
  return createSync(ctx, {
    name: "customers-to-hook",
    modelId: model.id,
    destinationId: destination.id,
    mode: "upsert",
    mappings: [{ from: "id", to: "id" }],
  });
}

async function codeOf(p: Promise<unknown>): Promise<string | undefined> {
  const error = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  return error instanceof TRPCError ? error.code : String(error);
}

/** The key as RFC 5869 HKDF-SHA256 gives it from the raw key — computed here independently of the code under test. */
function expectedKey(): Uint8Array {
  const raw = parseEncryptionKey(process.env.SLUICE_ENCRYPTION_KEY ?? "").key;
  return new Uint8Array(hkdfSync("sha256", raw, new Uint8Array(0), LIVE_TOKEN_KEY_INFO, 32));
}

describe("sync.liveToken", () => {
  it("gives a viewer a 5-minute HS256 token naming the workspace, the sync and the user, plus the worker URL", async () => {
    const s = services();
    const { ctx } = await createWorkspaceWithOwner(s);
    const sync = await syncIn(ctx);
    const viewer = await addUserWithRole(s, ctx, "viewer");
    const before = Math.floor(Date.now() / 1000);
    const answer = LiveTokenResponseSchema.parse(
      await callerFor(viewer).sync.liveToken({ workspace: ctx.workspaceSlug, syncId: sync.id }),
    );
    expect(answer.url).toBe("http://localhost:3001");
    expect(answer.path).toBe("/live");

    const { payload, protectedHeader } = await jwtVerify(answer.token, expectedKey(), { algorithms: ["HS256"] });
    expect(protectedHeader.alg).toBe("HS256");
    const claims = LiveTokenClaimsSchema.parse(payload);
    expect(claims).toMatchObject({ workspaceId: ctx.workspaceId, syncId: sync.id, sub: viewer.id });
    expect(claims.iat).toBeGreaterThanOrEqual(before);
    expect(claims.exp - claims.iat).toBe(300);
    expect(new Date(answer.expiresAt).getTime()).toBe(claims.exp * 1000);

    // Never signed with the raw encryption key.
    const raw = new Uint8Array(parseEncryptionKey(process.env.SLUICE_ENCRYPTION_KEY ?? "").key);
    await expect(jwtVerify(answer.token, raw)).rejects.toThrow(/signature/);
  });

  it("is NOT_FOUND for another workspace's sync and for a sync that does not exist", async () => {
    const s = services();
    const a = await createWorkspaceWithOwner(s);
    const b = await createWorkspaceWithOwner(s);
    const syncA = await syncIn(a.ctx);
    const ownerB = await s.db.user.findUniqueOrThrow({ where: { id: b.owner.id } });
    // Asking through B's workspace for A's sync…
    expect(await codeOf(callerFor(ownerB).sync.liveToken({ workspace: b.ctx.workspaceSlug, syncId: syncA.id }))).toBe(
      "NOT_FOUND",
    );
    // …or through A's workspace, which B does not belong to.
    expect(await codeOf(callerFor(ownerB).sync.liveToken({ workspace: a.ctx.workspaceSlug, syncId: syncA.id }))).toBe(
      "NOT_FOUND",
    );
    const ownerA = await s.db.user.findUniqueOrThrow({ where: { id: a.owner.id } });
    expect(await codeOf(callerFor(ownerA).sync.liveToken({ workspace: a.ctx.workspaceSlug, syncId: "nope" }))).toBe("NOT_FOUND");
  });

  it("needs a signed-in user", async () => {
    const s = services();
    const { ctx } = await createWorkspaceWithOwner(s);
    const sync = await syncIn(ctx);
    const anonymous = createCaller({ services: s, user: null });
    expect(await codeOf(anonymous.sync.liveToken({ workspace: ctx.workspaceSlug, syncId: sync.id }))).toBe("UNAUTHORIZED");
    const stranger = await createUser(s, "stranger");
    expect(await codeOf(callerFor(stranger).sync.liveToken({ workspace: ctx.workspaceSlug, syncId: sync.id }))).toBe("NOT_FOUND");
    // The token itself carries no secret: decoding it shows only ids and times.
    const owner = await s.db.user.findFirstOrThrow({ where: { memberships: { some: { workspaceId: ctx.workspaceId } } } });
    const { token } = await callerFor(owner).sync.liveToken({ workspace: ctx.workspaceSlug, syncId: sync.id });
    expect(Object.keys(decodeJwt(token)).sort()).toEqual(["aud", "exp", "iat", "iss", "sub", "syncId", "workspaceId"]);
  });
});

describe("SLUICE_WORKER_PUBLIC_URL", () => {
  const base = {
    DATABASE_URL: "postgresql://u@h/db",
    SLUICE_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString("base64"),
    SLUICE_AUTH_SECRET: "s".repeat(32),
  };
  const resolve = (env: Record<string, string>) => resolveWebEnv(webEnvSchema.parse({ ...base, ...env }));

  it("defaults to the public URL's host on the worker's port, and can be set", () => {
    expect(resolve({}).SLUICE_WORKER_PUBLIC_URL).toBe("http://localhost:3001");
    expect(
      resolve({ SLUICE_PUBLIC_URL: "https://sluice.example.com/", SLUICE_WORKER_PORT: "4001" }).SLUICE_WORKER_PUBLIC_URL,
    ).toBe("https://sluice.example.com:4001");
    expect(resolve({ SLUICE_WORKER_PUBLIC_URL: "https://live.example.com/" }).SLUICE_WORKER_PUBLIC_URL).toBe(
      "https://live.example.com",
    );
    expect(webEnvSchema.safeParse({ ...base, SLUICE_WORKER_PUBLIC_URL: "nope" }).error?.issues[0]?.message).toMatch(
      /SLUICE_WORKER_PUBLIC_URL must be a URL/,
    );
  });
});
