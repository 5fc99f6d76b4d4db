// A mapped record → HubSpot's wire form. HubSpot properties are flat name → string values; numbers and
// booleans are sent as text, null clears the property ("" is HubSpot's way to clear a value), and a list
// becomes the semicolon-separated form multi-select properties use.
import type { DeliveryRecord } from "../../kit/delivery";

export type HubSpotProperties = Record<string, string>;

/** The record's properties, or a reason naming the field that cannot be sent. */
export function toProperties(data: Record<string, unknown> | undefined): { properties: HubSpotProperties } | { problem: string } {
  const properties: HubSpotProperties = {};
  for (const [name, value] of Object.entries(data ?? {})) {
    const text = toPropertyValue(value);
    if (text === undefined) {
      return {
        problem: `field "${name}" holds ${describe(value)}; HubSpot properties take text, numbers, booleans, dates or lists — map a column to a flat property name (no dots)`,
      };
    }
    properties[name] = text;
  }
  return { properties };
}

function toPropertyValue(value: unknown): string | undefined {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : undefined;
  if (typeof value === "boolean" || typeof value === "bigint") return String(value);
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value) && value.every((v) => ["string", "number", "boolean"].includes(typeof v))) return value.join(";");
  return undefined;
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return "a list of objects";
  if (typeof value === "number") return `the number ${value}`;
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}

/**
 * The value of the identifying property: from the mapped data, else from a primary-key column of the same
 * name (a delete may carry no data, and models keyed by email then still say which contact to archive).
 */
export function identifierOf(record: DeliveryRecord, idProperty: string): string | undefined {
  const value = record.data?.[idProperty] ?? record.key[idProperty];
  if (value === null || value === undefined) return undefined;
  if (typeof value !== "string" && typeof value !== "number" && typeof value !== "bigint") return undefined;
  const text = String(value).trim();
  return text === "" ? undefined : text;
}
