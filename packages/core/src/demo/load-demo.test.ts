import { randomBytes } from "node:crypto";
import { SECRET_MASK } from "@sluice/contracts/connections";
import { createScratchDatabase } from "@sluice/db/testing";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Services } from "../context";
import { getDestination } from "../destinations/list-destinations";
import { loadDestinationWithSecrets } from "../destinations/load-destination-with-secrets";
import { getSource } from "../sources/list-sources";
import { loadSourceWithSecrets } from "../sources/load-source-with-secrets";
import { asRole, errorCode, testServices, workspaceWithRole } from "../testing/fixtures";
import { demoInboxUrl } from "./demo-inbox";
import { DEMO_DESTINATION_NAME, DEMO_MODEL_NAME, DEMO_SOURCE_NAME } from "./demo-objects";
import { getDemoStatus } from "./get-demo-status";
import { loadDemo } from "./load-demo";

const PUBLIC_URL = "http://localhost:3000";

// The warehouse is reached as a role with a real password, so the test can look for that password in rows.
const role = `demo_reader_${randomBytes(4).toString("hex")}`;
const password = `pw-${randomBytes(12).toString("hex")}`;
let warehouseUrl: string;
let s: Services;

async function asAdmin(url: string, sql: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  s = testServices();
  const scratch = await createScratchDatabase("demo_load");
  const database = new URL(scratch).pathname.slice(1);
  await asAdmin(scratch, `create role ${pg.escapeIdentifier(role)} login password ${pg.escapeLiteral(password)}`);
  await asAdmin(scratch, `grant connect, create on database ${pg.escapeIdentifier(database)} to ${pg.escapeIdentifier(role)}`);
  const url = new URL(scratch);
  url.username = role;
  url.password = password;
  warehouseUrl = url.toString();
});

afterAll(async () => {
  const admin = new URL(warehouseUrl);
  const scratchAsAdmin = new URL(process.env.TEST_ADMIN_URL ?? "");
  scratchAsAdmin.pathname = admin.pathname;
  await asAdmin(scratchAsAdmin.toString(), `drop owned by ${pg.escapeIdentifier(role)} cascade`);
  await asAdmin(process.env.TEST_ADMIN_URL ?? "", `drop role ${pg.escapeIdentifier(role)}`);
});

describe("loadDemo", () => {
  it("seeds the warehouse and registers source, destination and model, then reuses them", async () => {
    const ctx = await workspaceWithRole(s, "admin");
    expect((await getDemoStatus(ctx)).loaded).toBe(false);

    const first = await loadDemo(ctx, { warehouseUrl, publicUrl: PUBLIC_URL });
    expect(first.created).toBe(true);
    const second = await loadDemo(ctx, { warehouseUrl, publicUrl: PUBLIC_URL });
    expect(second).toEqual({ ...first, created: false });

    const where = { workspaceId: ctx.workspaceId };
    expect(await s.db.source.count({ where })).toBe(1);
    expect(await s.db.destination.count({ where })).toBe(1);
    expect(await s.db.model.count({ where })).toBe(1);
    expect(await getDemoStatus(ctx)).toEqual({
      loaded: true,
      sourceId: first.sourceId,
      destinationId: first.destinationId,
      modelId: first.modelId,
      inboxRecords: 0,
    });

    const source = await loadSourceWithSecrets(s, first.sourceId);
    expect(source).toMatchObject({ name: DEMO_SOURCE_NAME, type: "postgres" });
    expect(source.config).toMatchObject({
      user: role,
      password,
      port: Number(new URL(warehouseUrl).port),
      sluiceSchema: "sluice",
    });

    const destination = await loadDestinationWithSecrets(s, first.destinationId);
    expect(destination).toMatchObject({ name: DEMO_DESTINATION_NAME, type: "webhook" });
    expect(destination.config.url).toBe(`${PUBLIC_URL}/api/demo-inbox/${first.destinationId}`);
    expect(destination.config.signingSecret).toMatch(/^[0-9a-f]{64}$/);

    const model = await s.db.model.findUniqueOrThrow({ where: { id: first.modelId } });
    expect(model).toMatchObject({ name: DEMO_MODEL_NAME, sourceId: first.sourceId, primaryKey: ["id"] });
    const actions = await s.db.auditLog.findMany({ where, select: { action: true } });
    expect(actions.map((a) => a.action)).toEqual(expect.arrayContaining(["source.create", "destination.create", "model.create"]));
  });

  it("runs the model's query against the seeded warehouse", async () => {
    const ctx = await workspaceWithRole(s, "owner");
    const { modelId } = await loadDemo(ctx, { warehouseUrl, publicUrl: PUBLIC_URL });
    const { query } = await s.db.model.findUniqueOrThrow({ where: { id: modelId } });
    const client = new pg.Client({ connectionString: warehouseUrl });
    await client.connect();
    try {
      const { rows } = await client.query(`select count(*)::int as n, count(distinct id)::int as ids from (${query}) m`);
      expect(rows[0]).toEqual({ n: 3_000, ids: 3_000 });
    } finally {
      await client.end();
    }
  });

  it("keeps secrets out of the rows, the views and the audit log", async () => {
    const ctx = await workspaceWithRole(s, "owner");
    const { sourceId, destinationId } = await loadDemo(ctx, { warehouseUrl, publicUrl: PUBLIC_URL });
    const signingSecret = (await loadDestinationWithSecrets(s, destinationId)).config.signingSecret as string;
    const rows = JSON.stringify(
      [
        await s.db.source.findUniqueOrThrow({ where: { id: sourceId } }),
        await s.db.destination.findUniqueOrThrow({ where: { id: destinationId } }),
        await s.db.auditLog.findMany({ where: { workspaceId: ctx.workspaceId } }),
        await getSource(ctx, { id: sourceId }),
        await getDestination(ctx, { id: destinationId }),
      ],
      (_, v) => (typeof v === "bigint" ? v.toString() : v),
    );
    expect(rows).not.toContain(password);
    expect(rows).not.toContain(signingSecret);
    expect(rows).toContain(SECRET_MASK);
  });

  it("is refused to viewers and editors, and writes nothing", async () => {
    const admin = await workspaceWithRole(s, "admin");
    for (const role of ["viewer", "editor"] as const) {
      const ctx = await asRole(admin, role);
      expect(await errorCode(loadDemo(ctx, { warehouseUrl, publicUrl: PUBLIC_URL }))).toBe("FORBIDDEN");
      expect((await getDemoStatus(ctx)).loaded).toBe(false);
    }
    expect(await s.db.source.count({ where: { workspaceId: admin.workspaceId } })).toBe(0);
  });

  it("gives two simultaneous loads the same objects", async () => {
    const ctx = await workspaceWithRole(s, "owner");
    const [a, b] = await Promise.all([
      loadDemo(ctx, { warehouseUrl, publicUrl: PUBLIC_URL }),
      loadDemo(ctx, { warehouseUrl, publicUrl: PUBLIC_URL }),
    ]);
    expect({ ...a, created: true }).toEqual({ ...b, created: true });
    expect(await s.db.destination.count({ where: { workspaceId: ctx.workspaceId } })).toBe(1);
  });

  it("re-points the inbox when the public URL changes, keeping its id and secret", async () => {
    const ctx = await workspaceWithRole(s, "owner");
    const first = await loadDemo(ctx, { warehouseUrl, publicUrl: PUBLIC_URL });
    const before = await loadDestinationWithSecrets(s, first.destinationId);
    const moved = await loadDemo(ctx, { warehouseUrl, publicUrl: "http://127.0.0.1:4000/" });
    expect(moved).toEqual({ ...first, created: false });
    const after = await loadDestinationWithSecrets(s, first.destinationId);
    expect(after.config.url).toBe(demoInboxUrl("http://127.0.0.1:4000", first.destinationId));
    expect(after.config.signingSecret).toBe(before.config.signingSecret);
  });

  it("refuses to take over a user's own destination named like the demo's", async () => {
    const ctx = await workspaceWithRole(s, "owner");
    await s.db.destination.create({
      data: {
        workspaceId: ctx.workspaceId,
        name: DEMO_DESTINATION_NAME,
        type: "webhook",
        config: { url: "https://example.com/hook" },
      },
    });
    expect(await errorCode(loadDemo(ctx, { warehouseUrl, publicUrl: PUBLIC_URL }))).toBe("CONFLICT");
    const row = await s.db.destination.findFirstOrThrow({ where: { workspaceId: ctx.workspaceId } });
    expect(row.config).toEqual({ url: "https://example.com/hook" });
  });

  it("explains an unreachable warehouse without leaking its password", async () => {
    const ctx = await workspaceWithRole(s, "owner");
    const unreachable = new URL(warehouseUrl);
    unreachable.port = "1";
    const error = await loadDemo(ctx, { warehouseUrl: unreachable.toString(), publicUrl: PUBLIC_URL }).catch((e) => e);
    expect(error).toMatchObject({ code: "PRECONDITION_FAILED" });
    expect(error.message).toContain("Could not seed the demo warehouse");
    expect(error.message).not.toContain(password);
    expect(await s.db.source.count({ where: { workspaceId: ctx.workspaceId } })).toBe(0);
  });
});
