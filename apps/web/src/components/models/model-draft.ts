// The model editor's small rules, pure: the SQL a picked table becomes, the primary key chips, and how a
// preview cell and a duration read.

/** A warehouse identifier in double quotes, inner quotes doubled: never concatenated raw into SQL. */
export function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** What picking a table writes into the editor. */
export function tableQuery(schema: string, table: string): string {
  return `select * from ${quoteIdentifier(schema)}.${quoteIdentifier(table)}`;
}

/** Adds the column to the key (composite keys keep the order they were picked in), or takes it out. */
export function togglePrimaryKey(key: readonly string[], column: string): string[] {
  return key.includes(column) ? key.filter((c) => c !== column) : [...key, column];
}

/** Key columns the latest preview does not have (the SQL changed under the key). */
export function missingKeyColumns(key: readonly string[], columns: readonly { name: string }[]): string[] {
  const names = new Set(columns.map((c) => c.name));
  return key.filter((c) => !names.has(c));
}

/** The key to start from when none is picked yet: the `id` column when the preview has one. */
export function guessPrimaryKey(columns: readonly { name: string }[]): string[] {
  const id = columns.find((c) => c.name.toLowerCase() === "id");
  return id ? [id.name] : [];
}

export type CellKind = "null" | "number" | "boolean" | "json" | "text";

/** A preview cell as text, and what kind of value it is (nulls and JSON look different from text). */
export function formatCell(value: unknown): { text: string; kind: CellKind } {
  if (value === null || value === undefined) return { text: "null", kind: "null" };
  if (typeof value === "number") return { text: String(value), kind: "number" };
  if (typeof value === "boolean") return { text: String(value), kind: "boolean" };
  if (typeof value === "object") return { text: JSON.stringify(value), kind: "json" };
  return { text: String(value), kind: "text" };
}

/** "84 ms", "1.2 s", "12 s". */
export function formatElapsed(ms: number): string {
  if (ms < 1_000) return `${Math.max(0, Math.round(ms))} ms`;
  if (ms < 10_000) return `${(ms / 1_000).toFixed(1)} s`;
  return `${Math.round(ms / 1_000)} s`;
}

/** A model name from the picked table: "customers" → "Customers". */
export function nameFromTable(table: string): string {
  const words = table.replace(/[_-]+/g, " ").trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
