// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} is the config syntax under test
import { describe, expect, it } from "vitest";
import { formatConfigPath, parseSluiceConfig, substituteEnv } from "./sluice-config";

const valid = () => ({
  sources: [{ name: "warehouse", type: "postgres", config: { connectionString: "${WAREHOUSE_URL}" } }],
  destinations: [{ name: "hook", type: "webhook", config: { url: "http://127.0.0.1:7070/ingest", batchSize: 500 } }],
  models: [{ name: "customers", source: "warehouse", query: "select id, email from public.customers", primaryKey: ["id"] }],
  syncs: [
    {
      name: "customers-to-hook",
      model: "customers",
      destination: "hook",
      mode: "mirror",
      mappings: [
        { from: "email", to: "email" },
        { from: "score", to: "traits.score", cast: "number" },
      ],
      schedule: "manual",
    },
  ],
});
const env = { WAREHOUSE_URL: "postgresql://u:pw@db/w" };

describe("parseSluiceConfig", () => {
  it("substitutes the environment and fills defaults", () => {
    const parsed = parseSluiceConfig(valid(), env);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
    expect(parsed.config.sources[0]?.config).toEqual({ connectionString: "postgresql://u:pw@db/w" });
    expect(parsed.config.syncs[0]).toMatchObject({ enabled: true, schedule: { type: "manual" } });
  });

  it("accepts a file with only some sections, and a single-column primary key as text", () => {
    const parsed = parseSluiceConfig({ models: [{ name: "m", source: "s", query: "select 1 as id", primaryKey: "id" }] }, {});
    expect(parsed.ok && parsed.config.models[0]?.primaryKey).toEqual(["id"]);
    expect(parsed.ok && parsed.config.syncs).toEqual([]);
    expect(parseSluiceConfig(null, {}).ok).toBe(true);
  });

  it("names a missing environment variable at the value that uses it", () => {
    const parsed = parseSluiceConfig(valid(), {});
    expect(parsed).toEqual({
      ok: false,
      issues: [{ path: ["sources", 0, "config", "connectionString"], message: "environment variable WAREHOUSE_URL is not set" }],
    });
  });

  it("reports every problem with its path", () => {
    const file = valid() as Record<string, unknown[]> & ReturnType<typeof valid>;
    (file.syncs[0]?.mappings[1] as Record<string, unknown>).cast = "nmber";
    (file.syncs[0] as Record<string, unknown>).schedule = { every: "10s" };
    (file.models[0] as Record<string, unknown>).primaryKey = [];
    (file.destinations[0] as Record<string, unknown>).colour = "red";
    file.sources.push({ name: "warehouse", type: "postgres", config: { connectionString: "x" } });
    const parsed = parseSluiceConfig(file, env);
    expect(parsed.ok).toBe(false);
    const shown = parsed.ok ? [] : parsed.issues.map((i) => `${formatConfigPath(i.path)}: ${i.message}`);
    expect(shown).toEqual(
      expect.arrayContaining([
        "syncs[0].mappings[1].cast: expected one of string|number|boolean|date|json",
        "syncs[0].schedule.every: the shortest interval is 1m",
        "models[0].primaryKey: name at least one primary key column",
        'destinations[0].colour: unknown key "colour"',
      ]),
    );
    const unknownKey = parsed.ok ? undefined : parsed.issues.find((i) => i.message.startsWith("unknown key"));
    expect(unknownKey?.atKey).toBe(true);
  });

  it("refuses two objects of one kind with the same name", () => {
    const file = valid();
    file.sources.push({ name: "warehouse", type: "postgres", config: { connectionString: "x" } });
    const parsed = parseSluiceConfig(file, env);
    expect(parsed.ok ? [] : parsed.issues).toEqual([{ path: ["sources", 1, "name"], message: '"warehouse" is also sources[0]' }]);
  });

  it("says 'required' for a missing field", () => {
    const file = valid();
    delete (file.syncs[0] as Partial<(typeof file.syncs)[0]>).mode;
    const parsed = parseSluiceConfig(file, env);
    expect(parsed.ok ? [] : parsed.issues.map((i) => [formatConfigPath(i.path), i.message])).toEqual([
      ["syncs[0].mode", "expected one of upsert|update|insert|mirror"],
    ]);
    const noQuery = valid();
    delete (noQuery.models[0] as Partial<(typeof noQuery.models)[0]>).query;
    const second = parseSluiceConfig(noQuery, env);
    expect(second.ok ? [] : second.issues[0]?.message).toBe("expected the model's SQL");
  });
});

describe("substituteEnv", () => {
  it("interpolates inside strings, keeps $${ literal, leaves other values alone", () => {
    const out = substituteEnv({ a: "postgres://u:${PW}@h/db", b: "$${NOT}", c: [1, true, null, "${PW}"] }, { PW: "s3" });
    expect(out).toEqual({ value: { a: "postgres://u:s3@h/db", b: "${NOT}", c: [1, true, null, "s3"] }, issues: [] });
  });

  it("treats an empty variable as unset and a malformed reference as an error", () => {
    expect(substituteEnv({ a: "${EMPTY}" }, { EMPTY: "" }).issues).toEqual([
      { path: ["a"], message: "environment variable EMPTY is not set" },
    ]);
    expect(substituteEnv(["${1BAD}"], {}).issues[0]?.message).toMatch(/is not a valid environment variable reference/);
  });
});

describe("formatConfigPath", () => {
  it("writes indexes in brackets and quotes odd keys", () => {
    expect(formatConfigPath(["syncs", 0, "mappings", 2, "cast"])).toBe("syncs[0].mappings[2].cast");
    expect(formatConfigPath(["destinations", 0, "config", "headers", "X.Y"])).toBe('destinations[0].config.headers["X.Y"]');
  });
});
