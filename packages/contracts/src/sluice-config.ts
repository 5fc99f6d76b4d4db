// The file `sluice apply` reads (sluice.yaml): sources, destinations, models and syncs by name, secrets as
// ${ENV_VAR}. Environment variables are substituted first, then the whole file is validated; every
// problem is reported with its path (syncs[0].mappings[2].cast) so the CLI can point at its line.
import { z } from "zod";
import { MappingSpecSchema } from "./mapping";
import { ModelQuerySchema, PrimaryKeySchema, ScheduleInputSchema, SyncModeSchema } from "./sync-config";

export type ConfigPath = (string | number)[];
export interface ConfigIssue {
  path: ConfigPath;
  message: string;
  /** The issue is about a key itself (e.g. an unknown key), not its value. */
  atKey?: boolean;
}

const Name = z.string({ error: "expected a name" }).trim().min(1, "expected a name").max(80, "use at most 80 characters");
const Slug = z.string({ error: "expected a connector type such as postgres or webhook" }).trim().min(1);
const Config = z.record(z.string(), z.unknown(), { error: "expected a map of settings" });

export const ConfigSourceSchema = z.strictObject({ name: Name, type: Slug, config: Config });
export const ConfigDestinationSchema = z.strictObject({ name: Name, type: Slug, config: Config });
export const ConfigModelSchema = z.strictObject({
  name: Name,
  source: Name,
  query: ModelQuerySchema,
  /** `primaryKey: id` is read as `[id]`. */
  primaryKey: z.preprocess((v) => (typeof v === "string" ? [v] : v), PrimaryKeySchema),
});
export const ConfigSyncSchema = z.strictObject({
  name: Name,
  model: Name,
  destination: Name,
  object: z.string().trim().min(1).optional(),
  mode: SyncModeSchema,
  mappings: MappingSpecSchema,
  schedule: ScheduleInputSchema.default({ type: "manual" }),
  enabled: z.boolean({ error: "expected true or false" }).default(true),
});

const list = <T extends z.ZodType>(item: T) => z.array(item, { error: "expected a list" }).default([]);

export const SluiceConfigFileSchema = z
  .strictObject(
    {
      version: z.literal(1, { error: "expected version: 1" }).optional(),
      sources: list(ConfigSourceSchema),
      destinations: list(ConfigDestinationSchema),
      models: list(ConfigModelSchema),
      syncs: list(ConfigSyncSchema),
    },
    { error: "expected a map with sources, destinations, models and syncs" },
  )
  .superRefine((file, ctx) => {
    for (const kind of ["sources", "destinations", "models", "syncs"] as const) {
      const first = new Map<string, number>();
      file[kind].forEach((entry, index) => {
        const earlier = first.get(entry.name);
        if (earlier === undefined) first.set(entry.name, index);
        else
          ctx.addIssue({ code: "custom", path: [kind, index, "name"], message: `"${entry.name}" is also ${kind}[${earlier}]` });
      });
    }
  });
export type SluiceConfigFile = z.output<typeof SluiceConfigFileSchema>;
export type SluiceConfigInput = z.input<typeof SluiceConfigFileSchema>;

const ENV_REFERENCE = /\$\$\{|\$\{([^}]*)\}/g;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Replaces `${NAME}` in every string value with the environment variable (`$${` writes a literal `${`).
 * A variable that is unset or empty is an issue naming it, at the value's path.
 */
export function substituteEnv(
  value: unknown,
  env: Record<string, string | undefined>,
  path: ConfigPath = [],
): { value: unknown; issues: ConfigIssue[] } {
  const issues: ConfigIssue[] = [];
  const walk = (v: unknown, at: ConfigPath): unknown => {
    if (typeof v === "string") {
      return v.replace(ENV_REFERENCE, (match, name: string | undefined) => {
        if (match === "$${") return "${";
        const trimmed = (name ?? "").trim();
        if (!ENV_NAME.test(trimmed)) {
          issues.push({ path: at, message: `"${match}" is not a valid environment variable reference (use \${NAME})` });
          return match;
        }
        const found = env[trimmed];
        if (found === undefined || found === "") {
          issues.push({ path: at, message: `environment variable ${trimmed} is not set` });
          return match;
        }
        return found;
      });
    }
    if (Array.isArray(v)) return v.map((item, i) => walk(item, [...at, i]));
    if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, item]) => [k, walk(item, [...at, k])]));
    return v;
  };
  return { value: walk(value, path), issues };
}

/** Zod issues as config issues: one per unknown key (pointing at the key), "required" for a missing value. */
export function configIssuesFromZod(error: z.ZodError, prefix: ConfigPath = []): ConfigIssue[] {
  return error.issues.flatMap((issue): ConfigIssue[] => {
    const path = [...prefix, ...(issue.path as ConfigPath)];
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((key) => ({ path: [...path, key], message: `unknown key "${key}"`, atKey: true }));
    }
    const missing = issue.code === "invalid_type" && /received undefined$/.test(issue.message);
    return [{ path, message: missing ? `required (${issue.message.replace(/^Invalid input: /, "")})` : issue.message }];
  });
}

export type ParsedConfig = { ok: true; config: SluiceConfigFile } | { ok: false; issues: ConfigIssue[] };

/** Substitutes the environment, then validates the whole file; nothing is partially accepted. */
export function parseSluiceConfig(raw: unknown, env: Record<string, string | undefined>): ParsedConfig {
  const substituted = substituteEnv(raw ?? {}, env);
  if (substituted.issues.length > 0) return { ok: false, issues: substituted.issues };
  const result = SluiceConfigFileSchema.safeParse(substituted.value);
  if (!result.success) return { ok: false, issues: configIssuesFromZod(result.error) };
  return { ok: true, config: result.data };
}

/** ["syncs", 0, "mappings", 2, "cast"] → "syncs[0].mappings[2].cast" */
export function formatConfigPath(path: ConfigPath): string {
  return path.reduce<string>((out, segment) => {
    if (typeof segment === "number") return `${out}[${segment}]`;
    if (!/^[A-Za-z_][A-Za-z0-9_-]*$/.test(segment)) return `${out}[${JSON.stringify(segment)}]`;
    return out ? `${out}.${segment}` : segment;
  }, "");
}
