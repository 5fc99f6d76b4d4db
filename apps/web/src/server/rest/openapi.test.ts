// The OpenAPI document: every route file under app/api/v1 is in it (and nothing else), it holds together as an
// OpenAPI 3.1 document, it is served without a key, and the older routes answer what it says they do.
import "@/test/setup-env";
import { readdirSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { PERMISSIONS, type Permission } from "@sluice/contracts/roles";
import { createDestination } from "@sluice/core/destinations/create-destination";
import { createSource } from "@sluice/core/sources/create-source";
import { beforeAll, describe, expect, it } from "vitest";
import { GET as getOpenApiRoute } from "@/app/api/v1/openapi.json/route";
import { env } from "@/env";
import { apiKeyFor, createWorkspaceWithOwner } from "@/test/fixtures";
import { services } from "../services";
import { buildOpenApiDocument } from "./openapi";
import { ConnectionList, ConnectionResponse, DeletedResponse, WorkspaceResponse } from "./schemas";
import { apiRequest, expectDocumented, noParams, read, withId } from "./testing";

const V1_DIR = fileURLToPath(new URL("../../app/api/v1", import.meta.url));
const HTTP_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

// biome-ignore lint/suspicious/noExplicitAny: the document is walked as plain JSON.
type Json = any;

const doc: Json = buildOpenApiDocument({ serverUrl: "https://sluice.example.com" });

function routeFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return routeFiles(path);
    return entry.name === "route.ts" ? [path] : [];
  });
}

/** app/api/v1/syncs/[id]/runs/route.ts → /api/v1/syncs/{id}/runs */
function openApiPath(file: string): string {
  const segments = relative(V1_DIR, file).split(sep).slice(0, -1);
  return ["/api/v1", ...segments.map((s) => s.replace(/^\[(.+)\]$/, "{$1}"))].join("/");
}

/** Resolves a local `#/a/b` reference against the document, or undefined. */
function resolveRef(ref: string): unknown {
  return ref
    .slice(2)
    .split("/")
    .map((p) => p.replaceAll("~1", "/").replaceAll("~0", "~"))
    .reduce<Json>((node, key) => (node && typeof node === "object" ? node[key] : undefined), doc);
}

function collectRefs(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) for (const item of node) collectRefs(item, out);
  else if (node && typeof node === "object") {
    for (const [key, value] of Object.entries(node)) {
      if (key === "$ref" && typeof value === "string") out.push(value);
      else collectRefs(value, out);
    }
  }
  return out;
}

const operations = (): { path: string; method: string; op: Json }[] =>
  Object.entries(doc.paths as Record<string, Record<string, Json>>).flatMap(([path, item]) =>
    Object.entries(item).map(([method, op]) => ({ path, method, op })),
  );

describe("OpenAPI document: coverage", () => {
  it("lists every route file under app/api/v1 with each method it exports, and nothing more", async () => {
    const files = routeFiles(V1_DIR);
    expect(files.length).toBeGreaterThanOrEqual(12);
    const exported: string[] = [];
    for (const file of files) {
      const mod = (await import(file)) as Record<string, unknown>;
      const methods = HTTP_METHODS.filter((m) => typeof mod[m] === "function");
      expect(methods.length, file).toBeGreaterThan(0);
      for (const m of methods) exported.push(`${m.toLowerCase()} ${openApiPath(file)}`);
    }
    const documented = operations().map(({ method, path }) => `${method} ${path}`);
    expect(documented.sort()).toEqual(exported.sort());
    for (const expected of [
      "post /api/v1/syncs/{id}/runs",
      "post /api/v1/runs/{id}/cancel",
      "get /api/v1/sources/{id}",
      "get /api/v1/openapi.json",
    ]) {
      expect(documented).toContain(expected);
    }
  });
});

describe("OpenAPI document: structure", () => {
  it("is an OpenAPI 3.1 document with info, servers, paths and a bearer security scheme", () => {
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    expect(doc.info).toMatchObject({ title: expect.any(String), version: expect.any(String) });
    expect(doc.servers).toEqual([{ url: "https://sluice.example.com" }]);
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: "http", scheme: "bearer" });
    expect(doc.security).toEqual([{ bearerAuth: [] }]);
    expect(Object.keys(doc.paths).every((p) => p.startsWith("/"))).toBe(true);
  });

  it("gives every operation a unique operationId, a tag, its path parameters and documented responses", () => {
    const ids = new Set<string>();
    const tags = new Set(doc.tags.map((t: { name: string }) => t.name));
    for (const { path, method, op } of operations()) {
      const where = `${method} ${path}`;
      expect(["get", "post", "put", "patch", "delete"], where).toContain(method);
      expect(op.operationId, where).toMatch(/^[a-zA-Z]+$/);
      expect(ids.has(op.operationId), `duplicate operationId ${op.operationId}`).toBe(false);
      ids.add(op.operationId);
      for (const tag of op.tags) expect(tags.has(tag), where).toBe(true);

      const templated = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      const pathParams = op.parameters.filter((p: Json) => p.in === "path");
      expect(pathParams.map((p: Json) => p.name).sort(), where).toEqual(templated.sort());
      for (const p of op.parameters) {
        expect(p, where).toMatchObject({
          name: expect.any(String),
          in: expect.stringMatching(/^(path|query)$/),
          schema: expect.any(Object),
        });
        if (p.in === "path") expect(p.required, where).toBe(true);
      }

      const statuses = Object.keys(op.responses);
      expect(
        statuses.some((s) => s.startsWith("2")),
        where,
      ).toBe(true);
      for (const status of statuses) {
        expect(status, where).toMatch(/^[1-5]\d\d$/);
        const response = op.responses[status].$ref ? resolveRef(op.responses[status].$ref) : op.responses[status];
        expect(response, `${where} ${status}`).toMatchObject({
          description: expect.any(String),
          content: { "application/json": { schema: expect.any(Object) } },
        });
      }
      if (op.requestBody)
        expect(op.requestBody.content["application/json"].schema.$ref, where).toMatch(/^#\/components\/schemas\//);
      if (op.security) expect(op.security).toEqual([]); // only the public document itself
    }
    expect(ids.size).toBe(operations().length);
  });

  it("describes every failure with the one error schema and the right status", () => {
    for (const { path, method, op } of operations()) {
      for (const [status, response] of Object.entries(op.responses as Record<string, Json>)) {
        if (status.startsWith("2")) continue;
        const resolved = resolveRef(response.$ref) as Json;
        expect(resolved.content["application/json"].schema, `${method} ${path} ${status}`).toEqual({
          $ref: "#/components/schemas/ErrorBody",
        });
      }
      if (op.security === undefined) expect(Object.keys(op.responses)).toContain("401");
      expect(Object.keys(op.responses)).toContain("500");
    }
    // 403 exactly where the key's role can fall short: viewers may do everything a viewer permission allows.
    for (const { path, method, op } of operations()) {
      const permission = op["x-sluice-permission"] as Permission | undefined;
      const needsMore = permission !== undefined && PERMISSIONS[permission] !== "viewer";
      expect("403" in op.responses, `${method} ${path}`).toBe(needsMore);
      if (method !== "get" && permission) expect(needsMore, `${method} ${path}`).toBe(true);
    }
    const error = doc.components.schemas.ErrorBody;
    expect(error.properties.error.required).toEqual(["code", "message"]);
    expect(error.properties.error.properties.code.enum).toEqual(
      expect.arrayContaining(["BAD_REQUEST", "UNAUTHORIZED", "FORBIDDEN", "NOT_FOUND", "CONFLICT", "INTERNAL"]),
    );
  });

  it("resolves every $ref, and its component schemas are plain JSON Schema generated from zod", () => {
    const refs = collectRefs(doc);
    expect(refs.length).toBeGreaterThan(20);
    for (const ref of refs) {
      expect(ref, ref).toMatch(/^#\/components\/(schemas|responses)\//);
      expect(resolveRef(ref), ref).toBeDefined();
    }
    for (const [name, schema] of Object.entries(doc.components.schemas as Record<string, Json>)) {
      expect(schema.$schema, name).toBeUndefined();
      expect(schema.$id, name).toBeUndefined();
      expect(schema.type ?? schema.anyOf ?? schema.oneOf, name).toBeDefined();
    }
    // Spot checks that the zod contracts, not hand-written copies, shaped the schemas.
    const schemas = doc.components.schemas;
    expect(schemas.CreateSyncBody.required).toEqual(["name", "modelId", "destinationId", "mode", "mappings"]);
    expect(schemas.CreateSyncBody.additionalProperties).toBe(false);
    expect(schemas.CreateSyncBody.properties.mode.enum).toEqual(["upsert", "update", "insert", "mirror"]);
    expect(schemas.CreateSyncBody.properties.mappings.items.oneOf).toEqual([
      { $ref: "#/components/schemas/ColumnMapping" },
      { $ref: "#/components/schemas/ConstantMapping" },
    ]);
    expect(schemas.RunView.properties.status.enum).toContain("paused");
    expect(schemas.SyncView.properties.createdAt).toEqual({ type: "string", format: "date-time" });
    expect(schemas.TriggerRunBody.properties.fullResync.type).toBe("boolean");
    const listSyncs = doc.paths["/api/v1/syncs"].get;
    expect(listSyncs.parameters.map((p: Json) => p.name)).toEqual(["limit", "cursor"]);
    expect(listSyncs.parameters[0].schema).toMatchObject({ type: "integer", minimum: 1, maximum: 100 });
  });
});

describe("GET /api/v1/openapi.json", () => {
  it("serves the document without an API key, pointing at the public URL", async () => {
    const res = await getOpenApiRoute(new Request("http://localhost:3000/api/v1/openapi.json"));
    expect(res.status).toBe(200);
    const served = await res.json();
    expect(served).toEqual(buildOpenApiDocument({ serverUrl: env.SLUICE_PUBLIC_URL }));
  });
});

describe("the routes that predate the document answer what it says", () => {
  let key: string;
  let sourceId: string;
  let destinationId: string;

  beforeAll(async () => {
    const { ctx } = await createWorkspaceWithOwner(services());
    sourceId = (await createSource(ctx, { name: "W", type: "postgres", config: { connectionString: "postgresql://u:p@h/db" } }))
      .id;
    destinationId = (await createDestination(ctx, { name: "D", type: "webhook", config: { url: "https://example.com/h" } })).id;
    key = await apiKeyFor(ctx, "admin");
  });

  it("workspace, sources and destinations", async () => {
    const { GET: workspace } = await import("@/app/api/v1/workspace/route");
    const { GET: sources } = await import("@/app/api/v1/sources/route");
    const { GET: source, DELETE: deleteSource } = await import("@/app/api/v1/sources/[id]/route");
    const { GET: destinations } = await import("@/app/api/v1/destinations/route");
    const { GET: destination } = await import("@/app/api/v1/destinations/[id]/route");
    expectDocumented(WorkspaceResponse, (await read(await workspace(apiRequest("/workspace", { key }), noParams))).body);
    expectDocumented(ConnectionList, (await read(await sources(apiRequest("/sources", { key }), noParams))).body);
    expectDocumented(ConnectionList, (await read(await destinations(apiRequest("/destinations", { key }), noParams))).body);
    expectDocumented(
      ConnectionResponse,
      (await read(await source(apiRequest(`/sources/${sourceId}`, { key }), withId(sourceId)))).body,
    );
    const dest = await read(await destination(apiRequest(`/destinations/${destinationId}`, { key }), withId(destinationId)));
    expectDocumented(ConnectionResponse, dest.body);
    const deleted = await read(
      await deleteSource(apiRequest(`/sources/${sourceId}`, { key, method: "DELETE" }), withId(sourceId)),
    );
    expect(deleted.status).toBe(200);
    expectDocumented(DeletedResponse, deleted.body);
  });
});
