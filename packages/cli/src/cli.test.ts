// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} is the config syntax under test
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { generateEncryptionKey } from "@sluice/db";
import { testDatabaseUrl, testDb, uniqueName } from "@sluice/db/testing";
import { describe, expect, it } from "vitest";

const BIN = path.resolve(import.meta.dirname, "../bin/sluice.js");
const dir = mkdtempSync(path.join(tmpdir(), "sluice-cli-"));
const key = generateEncryptionKey();

function sluice(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd: dir,
    encoding: "utf8",
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? dir,
      DATABASE_URL: testDatabaseUrl(),
      SLUICE_ENCRYPTION_KEY: key,
      SLUICE_HOME: dir,
      ...env,
    },
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function writeYaml(name: string, text: string): string {
  writeFileSync(path.join(dir, name), text);
  return name;
}

const VALID = `sources:
  - name: warehouse
    type: postgres
    config: { connectionString: "\${WAREHOUSE_URL}" }
destinations:
  - name: hook
    type: webhook
    config: { url: "http://127.0.0.1:7070/ingest", batchSize: 500 }
models:
  - name: customers
    source: warehouse
    query: select id, email, plan, score from public.customers
    primaryKey: [id]
syncs:
  - name: customers-to-hook
    model: customers
    destination: hook
    mode: mirror
    mappings:
      - { from: email, to: email }
      - { from: plan, to: traits.plan }
      - { from: score, to: traits.score, cast: number }
    schedule: manual        # or { every: "15m" } or { cron: "0 * * * *" }
`;

async function rowCounts(slug: string) {
  const db = testDb();
  const ws = await db.workspace.findUnique({ where: { slug } });
  if (!ws) return "no workspace";
  const where = { workspaceId: ws.id };
  return [await db.source.count({ where }), await db.model.count({ where }), await db.sync.count({ where })].join(",");
}

describe("sluice apply", () => {
  it("applies the issue's example, prints the plan, and finds it unchanged the second time", async () => {
    const workspace = uniqueName("cli");
    const file = writeYaml("ok.yaml", VALID);
    const env = { WAREHOUSE_URL: "postgresql://u:pw@127.0.0.1:5432/w", SLUICE_WORKSPACE: workspace };
    const first = sluice(["apply", "-f", file], env);
    expect(first.stderr).toContain(`created workspace "${workspace}"`);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain(`Plan for workspace "${workspace}" from ok.yaml:`);
    expect(first.stdout).toMatch(/\+ create\s+source\s+warehouse/);
    expect(first.stdout).toMatch(/\+ create\s+sync\s+customers-to-hook/);
    expect(first.stdout).toContain("Applied: 4 to create, 0 to update, 0 unchanged.");
    expect(await rowCounts(workspace)).toBe("1,1,1");

    const again = sluice(["apply", "-f", file, "--workspace", workspace], { WAREHOUSE_URL: env.WAREHOUSE_URL });
    expect(again.code).toBe(0);
    expect(again.stdout).toContain("Applied: 0 to create, 0 to update, 4 unchanged.");

    const changed = writeYaml("changed.yaml", VALID.replace("to: traits.plan", "to: traits.tier"));
    const dry = sluice(["apply", "-f", changed, "--dry-run"], env);
    expect(dry.stdout).toMatch(/~ update\s+sync\s+customers-to-hook \(mappings\)/);
    expect(dry.stdout).toContain("Dry run: 0 to create, 1 to update, 3 unchanged. Nothing was written.");
    expect(sluice(["apply", "-f", changed], env).stdout).toContain("Applied: 0 to create, 1 to update, 3 unchanged.");
  });

  it("names the file, line and column of each problem and writes nothing", async () => {
    const workspace = uniqueName("cli");
    const broken = VALID.replace("cast: number", "cast: nmber").replace("mode: mirror", "mode: mirror\n    colour: red");
    const file = writeYaml("bad.yaml", broken);
    const result = sluice(["apply", "-f", file], { WAREHOUSE_URL: "postgresql://x/y", SLUICE_WORKSPACE: workspace });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('bad.yaml:19:5 syncs[0].colour: unknown key "colour"');
    expect(result.stderr).toContain("bad.yaml:23:48 syncs[0].mappings[2].cast: expected one of string|number|boolean|date|json");
    expect(result.stderr).toContain("Nothing was changed.");
    expect(await rowCounts(workspace)).toBe("no workspace");
  });

  it("names a missing environment variable at the value that uses it", () => {
    const result = sluice(["apply", "-f", writeYaml("env.yaml", VALID)], { SLUICE_WORKSPACE: uniqueName("cli") });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      "env.yaml:4:33 sources[0].config.connectionString: environment variable WAREHOUSE_URL is not set",
    );
  });

  it("reports references and connector configs checked against the workspace, still writing nothing", async () => {
    const workspace = uniqueName("cli");
    const text = VALID.replace("destination: hook", "destination: nowhere").replace(
      'url: "http://127.0.0.1:7070/ingest"',
      'url: "ftp://x"',
    );
    const result = sluice(["apply", "-f", writeYaml("refs.yaml", text)], {
      WAREHOUSE_URL: "postgresql://x/y",
      SLUICE_WORKSPACE: workspace,
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/refs\.yaml:8:20 destinations\[0\]\.config\.url: /);
    expect(result.stderr).toContain(
      `refs.yaml:17:18 syncs[0].destination: no destination named "nowhere" in this file or in workspace "${workspace}"`,
    );
    expect(await rowCounts(workspace)).toBe("no workspace");
    // In an existing workspace too: a valid change beside an invalid one is not written either.
    const env = { WAREHOUSE_URL: "postgresql://x/y", SLUICE_WORKSPACE: workspace };
    expect(sluice(["apply", "-f", writeYaml("base.yaml", VALID)], env).code).toBe(0);
    const mixed = VALID.replace("to: traits.plan", "to: traits.tier").replace("name: warehouse\n", "name: warehouse2\n");
    const second = sluice(["apply", "-f", writeYaml("mixed.yaml", mixed.replace("source: warehouse", "source: elsewhere"))], env);
    expect(second.code).toBe(1);
    expect(second.stderr).toContain('mixed.yaml:11:13 models[0].source: no source named "elsewhere"');
    expect(await rowCounts(workspace)).toBe("1,1,1");
    expect(
      (await testDb().sync.findFirstOrThrow({ where: { name: "customers-to-hook", workspace: { slug: workspace } } })).mappings,
    ).toContainEqual({
      from: "plan",
      to: "traits.plan",
    });
  });

  it("reports YAML syntax errors with their position, and a missing file", () => {
    const syntax = sluice(["apply", "-f", writeYaml("syntax.yaml", "sources:\n  - name: a\n  name: b\n")]);
    expect(syntax.code).toBe(1);
    expect(syntax.stderr).toMatch(/syntax\.yaml:\d+:\d+ /);
    const missing = sluice(["apply", "-f", "nope.yaml"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("nope.yaml: cannot read the file (ENOENT)");
  });
});

describe("sluice sync / runs", () => {
  it("says clearly when a sync does not exist or has no run in progress", () => {
    const workspace = uniqueName("cli");
    const run = sluice(["sync", "run", "ghost", "--workspace", workspace]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`No sync named "ghost" in workspace "${workspace}".`);
    const env = { WAREHOUSE_URL: "postgresql://u:pw@127.0.0.1:5432/w", SLUICE_WORKSPACE: workspace };
    expect(sluice(["apply", "-f", writeYaml("s.yaml", VALID)], env).code).toBe(0);
    const pause = sluice(["sync", "pause", "customers-to-hook"], env);
    expect(pause.code).toBe(1);
    expect(pause.stderr).toContain('Sync "customers-to-hook" has no run in progress.');
    const runs = sluice(["runs", "customers-to-hook", "--json"], env);
    expect(runs.code).toBe(0);
    expect(JSON.parse(runs.stdout)).toEqual([]);
  });
});
