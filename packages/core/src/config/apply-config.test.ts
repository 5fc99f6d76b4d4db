import { parseSluiceConfig, type SluiceConfigInput } from "@sluice/contracts/sluice-config";
import { describe, expect, it } from "vitest";
import { listAuditLog } from "../audit/list-audit-log";
import type { WorkspaceContext } from "../context";
import { loadDestinationWithSecrets } from "../destinations/load-destination-with-secrets";
import { listSources } from "../sources/list-sources";
import { loadSourceWithSecrets } from "../sources/load-source-with-secrets";
import { getSyncByName } from "../syncs/list-syncs";
import { asRole, errorCode, testServices, workspaceWithRole } from "../testing/fixtures";
import { applyConfig } from "./apply-config";
import { ConfigInvalidError } from "./config-invalid-error";
import { resolveSystemWorkspace } from "./resolve-system-workspace";

const s = testServices();
const WAREHOUSE_URL = "postgresql://reader:Wh-s3cret-9@db.example.com/analytics";

function file(): SluiceConfigInput {
  return {
    sources: [{ name: "warehouse", type: "postgres", config: { connectionString: WAREHOUSE_URL } }],
    destinations: [
      {
        name: "hook",
        type: "webhook",
        config: { url: "https://hooks.example.com/ingest", batchSize: 500, signingSecret: "sig-1-0123456789abcdef" },
      },
    ],
    models: [
      {
        name: "customers",
        source: "warehouse",
        query: "select id, email, plan, score from public.customers",
        primaryKey: ["id"],
      },
    ],
    syncs: [
      {
        name: "customers-to-hook",
        model: "customers",
        destination: "hook",
        mode: "mirror",
        mappings: [
          { from: "email", to: "email" },
          { from: "plan", to: "traits.plan" },
          { from: "score", to: "traits.score", cast: "number" },
        ],
        schedule: "manual",
      },
    ],
  };
}

async function counts(ctx: WorkspaceContext) {
  const where = { workspaceId: ctx.workspaceId };
  return Promise.all([
    ctx.db.source.count({ where }),
    ctx.db.destination.count({ where }),
    ctx.db.model.count({ where }),
    ctx.db.sync.count({ where }),
    ctx.db.auditLog.count({ where }),
  ]);
}

const summary = (plan: { kind: string; name: string; action: string }[]) => plan.map((p) => `${p.action} ${p.kind} ${p.name}`);

describe("applyConfig", () => {
  it("creates everything, then finds it all unchanged, then updates only what changed", async () => {
    const ctx = await workspaceWithRole(s, "admin");
    const first = await applyConfig(ctx, file());
    expect(summary(first.plan)).toEqual([
      "create source warehouse",
      "create destination hook",
      "create model customers",
      "create sync customers-to-hook",
    ]);
    const sync = await getSyncByName(ctx, { name: "customers-to-hook" });
    expect(sync).toMatchObject({ mode: "mirror", modelName: "customers", destinationName: "hook", nextRunAt: null });
    const [source] = await listSources(ctx);
    expect((await loadSourceWithSecrets(s, source?.id ?? "")).config.connectionString).toBe(WAREHOUSE_URL);
    expect(JSON.stringify(await ctx.db.$queryRaw`select * from source where id = ${source?.id}`)).not.toContain("Wh-s3cret-9");
    expect(JSON.stringify(await listAuditLog(ctx))).not.toMatch(/Wh-s3cret-9|sig-1-0123/);

    const second = await applyConfig(ctx, file());
    expect(second.plan.every((p) => p.action === "unchanged")).toBe(true);

    const changed = file();
    const syncEntry = changed.syncs?.[0];
    if (!syncEntry) throw new Error("fixture");
    syncEntry.mappings = [{ from: "email", to: "contact.email" }];
    syncEntry.schedule = { every: "15m" };
    const third = await applyConfig(ctx, changed);
    expect(third.plan.filter((p) => p.action !== "unchanged")).toEqual([
      { kind: "sync", name: "customers-to-hook", action: "update", changes: ["mappings", "schedule"] },
    ]);
    const updated = await getSyncByName(ctx, { name: "customers-to-hook" });
    expect(updated.mappings).toEqual([{ from: "email", to: "contact.email" }]);
    expect(updated.nextRunAt).not.toBeNull();
  });

  it("updates a secret it is given, and keeps one the file leaves out", async () => {
    const ctx = await workspaceWithRole(s, "admin");
    await applyConfig(ctx, file());
    const rotated = file();
    const hook = rotated.destinations?.[0];
    if (!hook) throw new Error("fixture");
    hook.config = { ...hook.config, signingSecret: "sig-2-0123456789abcdef" };
    expect(summary((await applyConfig(ctx, rotated)).plan)).toContain("update destination hook");
    const id = (await ctx.db.destination.findFirstOrThrow({ where: { workspaceId: ctx.workspaceId } })).id;
    expect((await loadDestinationWithSecrets(s, id)).config.signingSecret).toBe("sig-2-0123456789abcdef");
    const { signingSecret: _omitted, ...withoutSecret } = hook.config as Record<string, unknown>;
    hook.config = withoutSecret;
    expect(summary((await applyConfig(ctx, rotated)).plan)).toContain("unchanged destination hook");
    expect((await loadDestinationWithSecrets(s, id)).config.signingSecret).toBe("sig-2-0123456789abcdef");
  });

  it("writes nothing when any part is invalid, reporting every problem with its path", async () => {
    const ctx = await workspaceWithRole(s, "admin");
    const bad = file();
    bad.destinations = [{ name: "hook", type: "webhook", config: { url: "ftp://nope", batchSize: 500 } }];
    bad.models?.push({ name: "orphans", source: "nowhere", query: "select 1 as id", primaryKey: ["id"] });
    bad.sources?.push({ name: "oracle", type: "oracle", config: {} });
    const syncEntry = bad.syncs?.[0];
    if (!syncEntry) throw new Error("fixture");
    syncEntry.destination = "missing-hook";
    const before = await counts(ctx);
    const error = await applyConfig(ctx, bad).catch((e) => e);
    expect(error).toBeInstanceOf(ConfigInvalidError);
    const issues = (error as ConfigInvalidError).issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    expect(issues).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^destinations\.0\.config\.url: /),
        `models.1.source: no source named "nowhere" in this file or in workspace "${ctx.workspaceSlug}"`,
        'sources.1.type: unknown source type "oracle"; choose one of: postgres',
        `syncs.0.destination: no destination named "missing-hook" in this file or in workspace "${ctx.workspaceSlug}"`,
      ]),
    );
    expect(await counts(ctx)).toEqual(before);
    expect(await errorCode(applyConfig(ctx, { syncs: [{ name: "x" }] } as SluiceConfigInput))).toBe("BAD_REQUEST");
    expect(await counts(ctx)).toEqual(before);
  });

  it("never half-applies a file when two applies race: the loser fails whole with CONFLICT", async () => {
    const ctx = await workspaceWithRole(s, "admin");
    const results = await Promise.allSettled([applyConfig(ctx, file()), applyConfig(ctx, file())]);
    const fulfilled = results.filter((r) => r.status === "fulfilled");
    expect(fulfilled.length).toBeGreaterThanOrEqual(1);
    for (const r of results) if (r.status === "rejected") expect(r.reason.code).toBe("CONFLICT");
    const [sources, destinations, models, syncs] = await counts(ctx);
    expect([sources, destinations, models, syncs]).toEqual([1, 1, 1, 1]);
  });

  it("reports a dry run's plan without writing", async () => {
    const ctx = await workspaceWithRole(s, "admin");
    const before = await counts(ctx);
    const result = await applyConfig(ctx, file(), { dryRun: true });
    expect(result.dryRun).toBe(true);
    expect(result.plan.every((p) => p.action === "create")).toBe(true);
    expect(await counts(ctx)).toEqual(before);
  });

  it("refers to objects already in the workspace that the file does not define", async () => {
    const ctx = await workspaceWithRole(s, "admin");
    const { syncs: _syncs, ...withoutSyncs } = file();
    await applyConfig(ctx, withoutSyncs);
    const { plan } = await applyConfig(ctx, { syncs: file().syncs });
    expect(summary(plan)).toEqual(["create sync customers-to-hook"]);
  });

  it("needs write rights for each kind of object in the file", async () => {
    const ctx = await workspaceWithRole(s, "admin");
    const editor = await asRole(ctx, "editor");
    expect(await errorCode(applyConfig(editor, file()))).toBe("FORBIDDEN");
    await applyConfig(ctx, file());
    expect(summary((await applyConfig(editor, { syncs: file().syncs })).plan)).toEqual(["unchanged sync customers-to-hook"]);
  });

  it("runs as the CLI's system actor in a workspace it creates on first use", async () => {
    const slug = `cli-${Math.random().toString(36).slice(2, 10)}`;
    const cli = await resolveSystemWorkspace(s, { slug, actorName: "sluice CLI" });
    expect(cli.created).toBe(true);
    expect((await resolveSystemWorkspace(s, { slug, actorName: "sluice CLI" })).workspaceId).toBe(cli.workspaceId);
    const parsed = parseSluiceConfig(file(), {});
    if (!parsed.ok) throw new Error("fixture");
    await applyConfig(cli, parsed.config);
    const audit = await listAuditLog(cli);
    expect(audit.items.every((e) => e.actor.type === "system")).toBe(true);
    expect(audit.items.map((e) => e.action)).toContain("workspace.create");
    expect(await errorCode(resolveSystemWorkspace(s, { slug: "Not A Slug", actorName: "x" }))).toBe("BAD_REQUEST");
  });
});
