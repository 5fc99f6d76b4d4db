// Bodies and payloads as people read them: JSON indented, anything else as it came.

/** Indented JSON when `text` is JSON, otherwise the text unchanged. */
export function prettyBody(text: string): { text: string; json: boolean } {
  const trimmed = text.trim();
  if (trimmed === "") return { text: "", json: false };
  try {
    return { text: JSON.stringify(JSON.parse(trimmed), null, 2), json: true };
  } catch {
    return { text, json: false };
  }
}

/** "id = 1", "(account_id = 7, region = "eu")" for a row's key. */
export function describeKey(key: Record<string, unknown> | null | undefined): string {
  if (!key) return "";
  const parts = Object.entries(key).map(([k, v]) => `${k} = ${typeof v === "string" ? JSON.stringify(v) : String(v)}`);
  return parts.length === 1 ? (parts[0] as string) : `(${parts.join(", ")})`;
}

/** A key usable to pick the row for "test one row": only text, number and boolean values can be sent. */
export function sendableKey(key: Record<string, unknown> | null | undefined): Record<string, string | number | boolean> | null {
  if (!key || Object.keys(key).length === 0) return null;
  const out: Record<string, string | number | boolean> = {};
  for (const [k, v] of Object.entries(key)) {
    if (typeof v !== "string" && typeof v !== "number" && typeof v !== "boolean") return null;
    out[k] = v;
  }
  return out;
}
