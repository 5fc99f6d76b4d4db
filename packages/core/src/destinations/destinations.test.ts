import { SECRET_MASK } from "@sluice/contracts/connections";
import { describe, expect, it } from "vitest";
import { listAuditLog } from "../audit/list-audit-log";
import { asRole, errorCode, testServices, workspaceWithRole } from "../testing/fixtures";
import { createDestination } from "./create-destination";
import { deleteDestination } from "./delete-destination";
import { getDestination, listDestinations } from "./list-destinations";
import { loadDestinationWithSecrets } from "./load-destination-with-secrets";
import { testDestinationConnection } from "./test-destination-connection";
import { updateDestination } from "./update-destination";

const s = testServices();
const TOKEN = "Bearer tok_9c1e77d0aa";
const SIGNING = "signing-secret-4b8e2f61d0";
const config = {
  url: "https://hooks.example.com/sluice",
  headers: { Authorization: TOKEN, "X-Team": "growth" },
  signingSecret: SIGNING,
};

describe("destinations", () => {
  it("masks header values and the signing secret everywhere, and keeps them on a masked update", async () => {
    const ctx = await workspaceWithRole(s, "admin");
    const view = await createDestination(ctx, { name: "Hook", type: "webhook", config });
    expect(view.config).toEqual({
      url: config.url,
      delivery: "batch",
      batchSize: 500,
      concurrency: 4,
      gzip: false,
      headers: { Authorization: SECRET_MASK, "X-Team": SECRET_MASK },
      signingSecret: SECRET_MASK,
    });
    const raw = JSON.stringify(await ctx.db.$queryRaw<unknown[]>`select * from destination where id = ${view.id}`);
    for (const text of [raw, JSON.stringify(await listDestinations(ctx)), JSON.stringify(await listAuditLog(ctx))]) {
      expect(text).not.toContain("tok_9c1e77d0aa");
      expect(text).not.toContain(SIGNING);
    }
    // The form sends back what it was shown, plus one new header and a new batch size.
    await updateDestination(ctx, {
      id: view.id,
      config: { ...view.config, batchSize: 50, headers: { ...(view.config.headers as object), "X-New": "1" } },
    });
    const loaded = await loadDestinationWithSecrets(s, view.id);
    expect(loaded.config).toEqual({
      ...config,
      delivery: "batch",
      batchSize: 50,
      concurrency: 4,
      gzip: false,
      headers: { ...config.headers, "X-New": "1" },
    });
    // Dropping a header removes it; omitting signingSecret keeps it.
    await updateDestination(ctx, { id: view.id, config: { url: config.url, headers: { Authorization: SECRET_MASK } } });
    expect((await loadDestinationWithSecrets(s, view.id)).config).toEqual({
      url: config.url,
      delivery: "batch",
      batchSize: 500,
      concurrency: 4,
      gzip: false,
      headers: { Authorization: TOKEN },
      signingSecret: SIGNING,
    });
  });

  it("rejects a non-http URL as a config.url field error, saving nothing", async () => {
    const ctx = await workspaceWithRole(s, "admin");
    const error = await createDestination(ctx, { name: "Bad", type: "webhook", config: { url: "ftp://x.example.com" } }).catch(
      (e) => e,
    );
    expect(error.code).toBe("BAD_REQUEST");
    expect(Object.keys(error.fieldErrors)).toEqual(["config.url"]);
    expect(await listDestinations(ctx)).toEqual([]);
  });

  it("refuses to test a loopback URL unless the operator allows private destinations", async () => {
    const ctx = await workspaceWithRole(s, "admin");
    const local = { type: "webhook", config: { url: "http://127.0.0.1:1/hook" } };
    const refused = await testDestinationConnection(ctx, local);
    expect(refused.ok).toBe(false);
    expect(refused.steps[0]?.message).toContain("private or loopback address");
    const allowed = await testDestinationConnection({ ...ctx, allowPrivateDestinations: true }, local);
    expect(allowed.steps[0]?.ok).toBe(true);
  });

  it("is scoped, role-checked, and refuses to delete a destination a sync uses", async () => {
    const ctx = await workspaceWithRole(s, "owner");
    const other = await workspaceWithRole(s, "owner");
    const viewer = await asRole(ctx, "viewer");
    const editor = await asRole(ctx, "editor");
    const { id } = await createDestination(ctx, { name: "Hook", type: "webhook", config: { url: config.url } });
    expect(await errorCode(getDestination(other, { id }))).toBe("NOT_FOUND");
    expect(await errorCode(updateDestination(other, { id, name: "x" }))).toBe("NOT_FOUND");
    expect(await errorCode(deleteDestination(other, { id }))).toBe("NOT_FOUND");
    for (const weak of [viewer, editor]) {
      expect((await getDestination(weak, { id })).id).toBe(id);
      expect(await errorCode(createDestination(weak, { name: "y", type: "webhook", config: { url: config.url } }))).toBe(
        "FORBIDDEN",
      );
      expect(await errorCode(updateDestination(weak, { id, name: "y" }))).toBe("FORBIDDEN");
      expect(await errorCode(deleteDestination(weak, { id }))).toBe("FORBIDDEN");
    }
    const source = await ctx.db.source.create({
      data: { workspaceId: ctx.workspaceId, name: "S", type: "postgres", config: {} },
    });
    const model = await ctx.db.model.create({
      data: { workspaceId: ctx.workspaceId, sourceId: source.id, name: "M", query: "select 1", primaryKey: ["id"] },
    });
    await ctx.db.sync.create({
      data: {
        workspaceId: ctx.workspaceId,
        name: "To hook",
        modelId: model.id,
        destinationId: id,
        mode: "upsert",
        mappings: [],
        schedule: { type: "manual" },
      },
    });
    const error = await deleteDestination(ctx, { id }).catch((e) => e);
    expect(error.code).toBe("CONFLICT");
    expect(error.message).toContain('used by 1 sync ("To hook")');
  });
});
