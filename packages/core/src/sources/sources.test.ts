import { Writable } from "node:stream";
import { SECRET_MASK } from "@sluice/contracts/connections";
import { createScratchDatabase } from "@sluice/db/testing";
import pino from "pino";
import { beforeAll, describe, expect, it } from "vitest";
import { listAuditLog } from "../audit/list-audit-log";
import type { WorkspaceContext } from "../context";
import { asRole, errorCode, testServices, workspaceWithRole } from "../testing/fixtures";
import { createSource } from "./create-source";
import { deleteSource } from "./delete-source";
import { getSource, listSources } from "./list-sources";
import { loadSourceWithSecrets } from "./load-source-with-secrets";
import { testSourceConnection } from "./test-source-connection";
import { updateSource } from "./update-source";

const s = testServices();
const PASSWORD = "s3cret-Pw-7f1c9a";
let warehouseUrl: string;

beforeAll(async () => {
  warehouseUrl = await createScratchDatabase("sources");
});

const hostConfig = (password = PASSWORD) => ({ host: "db.example.com", database: "analytics", user: "sluice", password });

async function rawRow(ctx: WorkspaceContext, id: string): Promise<string> {
  const rows = await ctx.db.$queryRaw<unknown[]>`select * from source where id = ${id}`;
  return JSON.stringify(rows);
}

describe("sources", () => {
  it("seals secrets: not in the row, not in any view, not in the audit log", async () => {
    const ctx = await workspaceWithRole(s, "admin");
    const view = await createSource(ctx, { name: "Warehouse", type: "postgres", config: hostConfig() });
    expect(view.config).toEqual({ ...hostConfig(SECRET_MASK), port: 5432, sslMode: "require", sluiceSchema: "sluice" });
    const row = await rawRow(ctx, view.id);
    expect(row).not.toContain(PASSWORD);
    expect(row).toContain("db.example.com");
    for (const v of [view, await getSource(ctx, { id: view.id }), await listSources(ctx), await listAuditLog(ctx)]) {
      expect(JSON.stringify(v)).not.toContain(PASSWORD);
    }
    const audit = await listAuditLog(ctx);
    expect(audit.items[0]).toMatchObject({ action: "source.create", after: { config: { password: SECRET_MASK } } });
    expect((await loadSourceWithSecrets(s, view.id)).config.password).toBe(PASSWORD);
  });

  it("keeps a secret when the update omits it or sends the mask, and replaces it when given", async () => {
    const ctx = await workspaceWithRole(s, "admin");
    const { id } = await createSource(ctx, { name: "W", type: "postgres", config: hostConfig() });
    const { password: _omit, ...withoutPassword } = hostConfig();
    await updateSource(ctx, { id, config: { ...withoutPassword, database: "analytics2" } });
    expect((await loadSourceWithSecrets(s, id)).config).toMatchObject({ database: "analytics2", password: PASSWORD });
    await updateSource(ctx, { id, name: "Renamed", config: hostConfig(SECRET_MASK) });
    expect((await loadSourceWithSecrets(s, id)).config).toMatchObject({ database: "analytics", password: PASSWORD });
    await updateSource(ctx, { id, config: hostConfig("brand-new-Pw-99") });
    const loaded = await loadSourceWithSecrets(s, id);
    expect(loaded).toMatchObject({ name: "Renamed", config: { password: "brand-new-Pw-99" } });
    const audit = await listAuditLog(ctx);
    expect(JSON.stringify(audit)).not.toMatch(/brand-new-Pw-99|s3cret-Pw/);
    expect(audit.items[0]).toMatchObject({ action: "source.update", before: { config: { password: SECRET_MASK } } });
  });

  it("rejects an invalid config with config.* field errors and writes nothing", async () => {
    const ctx = await workspaceWithRole(s, "admin");
    const error = await createSource(ctx, { name: "Bad", type: "postgres", config: { port: "x", sslMode: "sometimes" } }).catch(
      (e) => e,
    );
    expect(error.code).toBe("BAD_REQUEST");
    expect(Object.keys(error.fieldErrors).sort()).toEqual([
      "config.database",
      "config.host",
      "config.port",
      "config.sslMode",
      "config.user",
    ]);
    expect(await errorCode(createSource(ctx, { name: "Bad", type: "oracle", config: {} }))).toBe("BAD_REQUEST");
    expect(await ctx.db.source.count({ where: { workspaceId: ctx.workspaceId } })).toBe(0);
    expect(await ctx.db.auditLog.count({ where: { workspaceId: ctx.workspaceId } })).toBe(0);
    const { id } = await createSource(ctx, { name: "Good", type: "postgres", config: hostConfig() });
    const updateError = await updateSource(ctx, { id, config: { ...hostConfig(), host: "" } }).catch((e) => e);
    expect(updateError.fieldErrors).toHaveProperty(["config.host"]);
    expect((await loadSourceWithSecrets(s, id)).config.host).toBe("db.example.com");
    expect(await errorCode(createSource(ctx, { name: "Good", type: "postgres", config: hostConfig() }))).toBe("CONFLICT");
  });

  it("is scoped to the workspace: another workspace's source id is NOT_FOUND everywhere", async () => {
    const mine = await workspaceWithRole(s, "owner");
    const theirs = await workspaceWithRole(s, "owner");
    const { id } = await createSource(theirs, { name: "Theirs", type: "postgres", config: hostConfig() });
    expect(await errorCode(getSource(mine, { id }))).toBe("NOT_FOUND");
    expect(await errorCode(updateSource(mine, { id, name: "Stolen" }))).toBe("NOT_FOUND");
    expect(await errorCode(deleteSource(mine, { id }))).toBe("NOT_FOUND");
    expect(await errorCode(testSourceConnection(mine, { id }))).toBe("NOT_FOUND");
    expect(await listSources(mine)).toEqual([]);
    expect((await getSource(theirs, { id })).name).toBe("Theirs");
  });

  it("lets viewers and editors read but not create, change, test or delete", async () => {
    const admin = await workspaceWithRole(s, "admin");
    const { id } = await createSource(admin, { name: "W", type: "postgres", config: hostConfig() });
    for (const role of ["viewer", "editor"] as const) {
      const ctx = await asRole(admin, role);
      expect((await listSources(ctx)).map((x) => x.id)).toEqual([id]);
      const error = await createSource(ctx, { name: "X", type: "postgres", config: hostConfig() }).catch((e) => e);
      expect(error.code).toBe("FORBIDDEN");
      expect(error.message).toBe(`Your role (${role}) cannot create, change, test or delete sources; that needs admin or above.`);
      expect(await errorCode(updateSource(ctx, { id, name: "Y" }))).toBe("FORBIDDEN");
      expect(await errorCode(deleteSource(ctx, { id }))).toBe("FORBIDDEN");
      expect(await errorCode(testSourceConnection(ctx, { id }))).toBe("FORBIDDEN");
      expect(await errorCode(listAuditLog(ctx))).toBe("FORBIDDEN");
    }
    expect((await getSource(admin, { id })).name).toBe("W");
  });

  it("refuses to delete a source a model reads from, naming the model", async () => {
    const ctx = await workspaceWithRole(s, "admin");
    const { id } = await createSource(ctx, { name: "Used", type: "postgres", config: hostConfig() });
    await ctx.db.model.create({
      data: { workspaceId: ctx.workspaceId, sourceId: id, name: "Customers", query: "select 1", primaryKey: ["id"] },
    });
    const error = await deleteSource(ctx, { id }).catch((e) => e);
    expect(error.code).toBe("CONFLICT");
    expect(error.message).toContain('Source "Used" is used by 1 model ("Customers")');
    await ctx.db.model.deleteMany({ where: { sourceId: id } });
    await deleteSource(ctx, { id });
    expect(await errorCode(getSource(ctx, { id }))).toBe("NOT_FOUND");
  });

  it("tests a saved source against the real server, with its stored secret", async () => {
    const ctx = await workspaceWithRole(s, "admin");
    const { id } = await createSource(ctx, { name: "Scratch", type: "postgres", config: { connectionString: warehouseUrl } });
    const check = await testSourceConnection(ctx, { id });
    expect(check.ok).toBe(true);
    expect(check.steps.every((x) => x.ok)).toBe(true);
    expect(JSON.stringify(await getSource(ctx, { id }))).not.toContain(warehouseUrl);
  });

  it("never writes a secret to the log while creating and testing a source with a wrong password", async () => {
    let output = "";
    const sink = new Writable({
      write(chunk, _enc, done) {
        output += chunk.toString();
        done();
      },
    });
    // A plain pino logger with no redaction: the code itself must not log secrets.
    const logged = { ...(await workspaceWithRole(s, "admin")), log: pino({ level: "trace" }, sink) };
    const u = new URL(warehouseUrl);
    const config = {
      host: u.hostname,
      port: Number(u.port),
      database: "no_such_database_q",
      user: "nobody",
      password: PASSWORD,
      sslMode: "disable",
    };
    const { id } = await createSource(logged, { name: "Wrong", type: "postgres", config });
    const check = await testSourceConnection(logged, { id });
    await testSourceConnection(logged, { type: "postgres", config });
    expect(check.ok).toBe(false);
    expect(output).toContain("source connection tested");
    expect(output).not.toContain(PASSWORD);
  });
});
