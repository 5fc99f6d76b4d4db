// Form state for a connector's settings, derived from its field list (describeConfigFields on the server):
// every value is kept as the user typed it, and turned into a config object only on submit. Saved secrets
// arrive as SECRET_MASK and go back unchanged unless the user types over them, which keeps them server-side.
import type { ConnectorField } from "@sluice/connectors/kit/describe-fields";

export type RecordRow = { id: number; key: string; value: string };
export type FieldValue = string | boolean | RecordRow[];
export type ConfigValues = Record<string, FieldValue>;

let rowIds = 0;
export const newRow = (key = "", value = ""): RecordRow => ({ id: ++rowIds, key, value });

/** Start values: the saved config when editing (secrets masked), else each field's default. */
export function initialValues(fields: ConnectorField[], saved?: Record<string, unknown>): ConfigValues {
  const values: ConfigValues = {};
  for (const f of fields) {
    const v = saved?.[f.key] ?? f.default;
    if (f.type === "record") {
      values[f.key] =
        v && typeof v === "object" ? Object.entries(v as Record<string, unknown>).map(([k, x]) => newRow(k, String(x))) : [];
    } else if (f.type === "boolean") {
      values[f.key] = v === true;
    } else {
      values[f.key] = v === undefined || v === null ? "" : String(v);
    }
  }
  return values;
}

/** The config to send: empty fields left out (so defaults apply and kept secrets stay kept). */
export function toConfig(fields: ConnectorField[], values: ConfigValues): Record<string, unknown> {
  const config: Record<string, unknown> = {};
  for (const f of fields) {
    const v = values[f.key];
    if (f.type === "record") {
      const rows = Array.isArray(v) ? v.filter((r) => r.key.trim() !== "") : [];
      if (rows.length > 0) config[f.key] = Object.fromEntries(rows.map((r) => [r.key.trim(), r.value]));
    } else if (f.type === "boolean") {
      config[f.key] = v === true;
    } else if (typeof v === "string") {
      // Secrets are sent as typed; other text is trimmed (the schemas trim too).
      const text = f.secret ? v : v.trim();
      if (text === "") continue;
      config[f.key] = f.type === "number" && /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : text;
    }
  }
  return config;
}

const WORDS: Record<string, string> = { url: "URL", ssl: "SSL", id: "ID", api: "API", http: "HTTP", sql: "SQL" };

/** `connectionString` → "Connection string", `sslMode` → "SSL mode". */
export function fieldLabel(key: string): string {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .split(/[\s_-]+/)
    .map((w) => WORDS[w.toLowerCase()] ?? w.toLowerCase());
  const first = words[0] ?? key;
  words[0] = first === first.toUpperCase() ? first : first.charAt(0).toUpperCase() + first.slice(1);
  return words.join(" ");
}

/** "a, b\nc" → ["a", "b", "c"]: schema names typed in one box (a name may hold spaces, not commas). */
export function splitList(text: string): string[] {
  return [
    ...new Set(
      text
        .split(/[,\n]+/)
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  ];
}
