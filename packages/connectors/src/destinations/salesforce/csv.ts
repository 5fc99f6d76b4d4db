// CSV as Bulk API 2.0 reads and writes it (RFC 4180, comma delimiter, LF line endings): a header row of
// field API names, fields quoted when they hold a comma, quote or line break, quotes doubled. "#N/A" sets a
// field to null; an empty cell leaves it unchanged on update/upsert. Relationship fields are written the
// way Bulk API expects them, e.g. Account.External_Id__c.

/** What Bulk API 2.0 reads as "set this field to null". */
export const BULK_NULL = "#N/A";

/** Nested objects (relationship references) as dotted column names: {Account: {Ext__c: 1}} → {"Account.Ext__c": 1}. */
export function flattenRecord(data: Record<string, unknown>, prefix = "", into: Record<string, unknown> = {}) {
  for (const [key, value] of Object.entries(data)) {
    const name = prefix ? `${prefix}.${key}` : key;
    if (value !== null && typeof value === "object" && !Array.isArray(value) && !(value instanceof Date)) {
      flattenRecord(value as Record<string, unknown>, name, into);
    } else if (value !== undefined) {
      into[name] = value;
    }
  }
  return into;
}

/** One value as a CSV cell's text (before quoting). */
export function cellText(value: unknown): string {
  if (value === undefined) return "";
  if (value === null || value === "") return BULK_NULL;
  if (value instanceof Date) return value.toISOString();
  // Multi-select picklists take their values separated by semicolons.
  if (Array.isArray(value)) return value.map((v) => String(v)).join(";");
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

export function quoteCell(text: string): string {
  return /[",\r\n]/.test(text) || /^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Header + rows as CSV text with LF line endings (and a final LF). */
export function toCsv(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => cells.map(quoteCell).join(",");
  return `${[line(header), ...rows.map(line)].join("\n")}\n`;
}

/** CSV text → rows of cells (quoted fields, doubled quotes, LF or CRLF line endings). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          cell += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else cell += c;
      i++;
      continue;
    }
    if (c === '"' && cell === "") quoted = true;
    else if (c === ",") {
      row.push(cell);
      cell = "";
    } else if (c === "\n" || c === "\r") {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
      if (c === "\r" && text[i + 1] === "\n") i++;
    } else cell += c;
    i++;
  }
  if (cell !== "" || row.length > 0) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}

/** Parsed CSV with a header: each row as column → cell. */
export function parseCsvObjects(text: string): { header: string[]; rows: Record<string, string>[] } {
  const [header = [], ...rows] = parseCsv(text);
  return {
    header,
    rows: rows
      .filter((cells) => !(cells.length === 1 && cells[0] === ""))
      .map((cells) => Object.fromEntries(header.map((name, i) => [name, cells[i] ?? ""]))),
  };
}
