// The REST API's auth, workspace isolation, roles and error format, called as Next would call the handlers.
import "@/test/setup-env";
import { createSource, getSource } from "@sluice/core";
import type { WorkspaceContext } from "@sluice/core/context";
import { beforeAll, describe, expect, it } from "vitest";
import { services } from "@/server/services";
import { apiKeyFor, createWorkspaceWithOwner } from "@/test/fixtures";
import { GET as getDestinations } from "./destinations/route";
import { DELETE as deleteSourceRoute, GET as getSourceRoute } from "./sources/[id]/route";
import { GET as listSourcesRoute } from "./sources/route";
import { GET as getWorkspace } from "./workspace/route";

const BASE = "http://localhost:3000/api/v1";
const PASSWORD = "s3cret-warehouse-password";
const noParams = undefined; // what Next passes to a route without dynamic segments
const withId = (id: string) => ({ params: Promise.resolve({ id }) });

function request(path: string, key?: string, method = "GET"): Request {
  return new Request(`${BASE}${path}`, { method, headers: key ? { authorization: `Bearer ${key}` } : {} });
}

async function read(res: Response) {
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

let a: WorkspaceContext;
let b: WorkspaceContext;
let sourceA: string;
let sourceB: string;

beforeAll(async () => {
  const s = services();
  a = (await createWorkspaceWithOwner(s)).ctx;
  b = (await createWorkspaceWithOwner(s)).ctx;
  const config = {
    host: "warehouse.internal",
    port: 5432,
    database: "analytics",
    user: "sluice",
    password: PASSWORD,
    sslMode: "require",
  };
  sourceA = (await createSource(a, { name: "Warehouse A", type: "postgres", config })).id;
  sourceB = (await createSource(b, { name: "Warehouse B", type: "postgres", config })).id;
});

describe("REST /api/v1 authentication", () => {
  it("answers 401 in the shared error format without a key", async () => {
    const res = await listSourcesRoute(request("/sources"), noParams);
    expect(res.status).toBe(401);
    const body = await res.json();
    expect(body).toEqual({ error: { code: "UNAUTHORIZED", message: expect.stringContaining("Bearer") } });
  });

  it("answers 401 for an unknown key and for a revoked key", async () => {
    const unknown = await getWorkspace(request("/workspace", "slk_not-a-real-key"), noParams);
    expect(unknown.status).toBe(401);
    const revoked = await apiKeyFor(a, "admin", { revoked: true });
    const res = await getWorkspace(request("/workspace", revoked), noParams);
    expect(res.status).toBe(401);
    expect((await res.json()).error.code).toBe("UNAUTHORIZED");
  });

  it("answers with the key's workspace", async () => {
    const key = await apiKeyFor(a, "viewer");
    const res = await getWorkspace(request("/workspace", key), noParams);
    expect(res.status).toBe(200);
    const { data } = await res.json();
    expect(data).toMatchObject({ id: a.workspaceId, slug: a.workspaceSlug, role: "viewer", counts: { sources: 1 } });
  });
});

describe("REST /api/v1 workspace isolation and roles", () => {
  it("lists only the key's own sources", async () => {
    const key = await apiKeyFor(a, "viewer");
    const { status, body } = await read(await listSourcesRoute(request("/sources", key), noParams));
    expect(status).toBe(200);
    expect((body.data as { id: string }[]).map((x) => x.id)).toEqual([sourceA]);
  });

  it("answers 404 for another workspace's source, for GET and DELETE alike", async () => {
    const key = await apiKeyFor(a, "admin");
    const get = await getSourceRoute(request(`/sources/${sourceB}`, key), withId(sourceB));
    expect(get.status).toBe(404);
    expect((await get.json()).error.code).toBe("NOT_FOUND");
    const del = await deleteSourceRoute(request(`/sources/${sourceB}`, key, "DELETE"), withId(sourceB));
    expect(del.status).toBe(404);
    await expect(getSource(b, { id: sourceB })).resolves.toMatchObject({ id: sourceB });
  });

  it("refuses DELETE with a viewer key (403) and keeps the source", async () => {
    const key = await apiKeyFor(a, "viewer");
    const res = await deleteSourceRoute(request(`/sources/${sourceA}`, key, "DELETE"), withId(sourceA));
    expect(res.status).toBe(403);
    const body = await res.json();
    expect(body.error.code).toBe("FORBIDDEN");
    expect(body.error.message).toMatch(/viewer/);
    await expect(getSource(a, { id: sourceA })).resolves.toMatchObject({ id: sourceA });
  });

  it("deletes with an admin key", async () => {
    const s = services();
    const { ctx } = await createWorkspaceWithOwner(s);
    const config = { host: "h", database: "d", user: "u", password: PASSWORD, sslMode: "disable" };
    const id = (await createSource(ctx, { name: "Doomed", type: "postgres", config })).id;
    const key = await apiKeyFor(ctx, "admin");
    const res = await deleteSourceRoute(request(`/sources/${id}`, key, "DELETE"), withId(id));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ data: { id, deleted: true } });
    const again = await getSourceRoute(request(`/sources/${id}`, key), withId(id));
    expect(again.status).toBe(404);
  });
});

describe("REST /api/v1 never returns a secret", () => {
  it("masks the password in list and get responses", async () => {
    const key = await apiKeyFor(a, "admin");
    const list = await listSourcesRoute(request("/sources", key), noParams);
    const one = await getSourceRoute(request(`/sources/${sourceA}`, key), withId(sourceA));
    const dests = await getDestinations(request("/destinations", key), noParams);
    for (const res of [list, one, dests]) {
      expect(res.status).toBe(200);
      const text = await res.text();
      expect(text).not.toContain(PASSWORD);
      expect(text).not.toContain("encryptedSecrets");
    }
    const source = (await (await getSourceRoute(request(`/sources/${sourceA}`, key), withId(sourceA))).json()).data;
    expect(source.config.password).toBe("••••••••");
    expect(source.config.host).toBe("warehouse.internal");
  });

  it("never echoes the API key itself", async () => {
    const key = await apiKeyFor(a, "viewer");
    const res = await getWorkspace(request("/workspace", key), noParams);
    expect(await res.text()).not.toContain(key);
  });
});
