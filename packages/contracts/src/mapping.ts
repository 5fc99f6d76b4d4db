// The mapping spec: how a model row becomes the `data` of a destination record. Each entry copies a
// column (optionally cast) or a constant to a field; dot paths nest ("traits.plan" → {traits:{plan}}).
// A row that cannot be mapped (missing column, failed cast) is rejected with a reason the user can act
// on; the rest of the batch goes on.
import { z } from "zod";

export const CASTS = ["string", "number", "boolean", "date", "json"] as const;
export const CastSchema = z.enum(CASTS, { error: `expected one of ${CASTS.join("|")}` });
export type Cast = z.infer<typeof CastSchema>;

/** Segments that would write to an object's prototype instead of a field. */
const FORBIDDEN_SEGMENTS = new Set(["__proto__", "prototype", "constructor"]);

export const FieldPath = z
  .string({ error: "expected a field path such as email or traits.plan" })
  .min(1, "expected a field path such as email or traits.plan")
  .max(300, "use at most 300 characters")
  .refine((p) => p.split(".").every((s) => s.length > 0), "a field path has no empty segments (e.g. traits.plan)")
  .refine(
    (p) => p.split(".").every((s) => !FORBIDDEN_SEGMENTS.has(s)),
    "a field path cannot use __proto__, prototype or constructor",
  );

export const ColumnMappingSchema = z.strictObject({
  from: z.string({ error: "expected the model column to read" }).min(1, "expected the model column to read"),
  to: FieldPath,
  cast: CastSchema.optional(),
});
export type ColumnMapping = z.infer<typeof ColumnMappingSchema>;

export const ConstantMappingSchema = z.strictObject({ constant: z.json(), to: FieldPath });
export type ConstantMapping = z.infer<typeof ConstantMappingSchema>;

const MAPPING_SHAPE = "expected { from, to, cast? } or { constant, to }";

/** A column mapping, or a constant one when it has `constant` and no `from`: errors then name the field at fault. */
export const MappingSchema = z.unknown().transform((value, ctx): ColumnMapping | ConstantMapping => {
  if (!value || typeof value !== "object" || Array.isArray(value)) {
    ctx.addIssue({ code: "custom", message: MAPPING_SHAPE });
    return z.NEVER;
  }
  const schema = "constant" in value && !("from" in value) ? ConstantMappingSchema : ColumnMappingSchema;
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  for (const issue of result.error.issues) ctx.addIssue({ code: "custom", message: issue.message, path: issue.path });
  return z.NEVER;
});
export type Mapping = z.output<typeof MappingSchema>;

export const MappingSpecSchema = z
  .array(MappingSchema, { error: "expected a list of mappings" })
  .min(1, "map at least one field")
  .superRefine((spec, ctx) => {
    const seen: { path: string; index: number }[] = [];
    spec.forEach((m, index) => {
      for (const other of seen) {
        const conflict =
          other.path === m.to
            ? `"${m.to}" is already mapped by mappings[${other.index}]`
            : m.to.startsWith(`${other.path}.`) || other.path.startsWith(`${m.to}.`)
              ? `"${m.to}" conflicts with "${other.path}" (mappings[${other.index}]): a field cannot be both a value and an object`
              : undefined;
        if (conflict) {
          ctx.addIssue({ code: "custom", path: [index, "to"], message: conflict });
          return;
        }
      }
      seen.push({ path: m.to, index });
    });
  });
export type MappingSpec = z.infer<typeof MappingSpecSchema>;

export function isColumnMapping(m: Mapping): m is ColumnMapping {
  return "from" in m;
}

/** The distinct model columns the spec reads, in spec order: what the snapshot must keep and hash. */
export function mappedColumns(spec: MappingSpec): string[] {
  return [...new Set(spec.filter(isColumnMapping).map((m) => m.from))];
}

export type MappingResult = { ok: true; data: Record<string, unknown> } | { ok: false; reason: string };

export function applyMapping(row: Record<string, unknown>, spec: MappingSpec): MappingResult {
  return compileMapping(spec)(row);
}

/**
 * The spec turned into a function once (paths split, casts resolved), for mapping many rows: a sync maps
 * every changed row, so the per-row work is only reading, casting and assigning.
 */
export function compileMapping(spec: MappingSpec): (row: Record<string, unknown>) => MappingResult {
  const steps = spec.map((m) => {
    const segments = m.to.split(".");
    return isColumnMapping(m)
      ? { from: m.from, cast: m.cast, segments, constant: undefined }
      : { from: undefined, cast: undefined, segments, constant: m.constant };
  });
  return (row) => {
    const data: Record<string, unknown> = {};
    for (const step of steps) {
      let value: unknown;
      if (step.from !== undefined) {
        if (!Object.hasOwn(row, step.from)) return { ok: false, reason: `column "${step.from}" is missing from the model's row` };
        const raw = row[step.from];
        if (step.cast === undefined && typeof raw !== "bigint") value = raw ?? null;
        else {
          const cast = castValue(raw, step.cast);
          if (!cast.ok) return { ok: false, reason: `column "${step.from}": ${cast.reason}` };
          value = cast.value;
        }
      } else {
        value = step.constant;
      }
      if (step.segments.length === 1) data[step.segments[0] as string] = value;
      else setPath(data, step.segments, value);
    }
    return { ok: true, data };
  };
}

type CastResult = { ok: true; value: unknown } | { ok: false; reason: string };

const TRUE_WORDS = new Set(["true", "t", "yes", "y", "1"]);
const FALSE_WORDS = new Set(["false", "f", "no", "n", "0"]);

export function castValue(value: unknown, cast: Cast | undefined): CastResult {
  if (value === null || value === undefined) return { ok: true, value: null };
  switch (cast) {
    case undefined:
      return { ok: true, value: typeof value === "bigint" ? value.toString() : value };
    case "string":
      return { ok: true, value: toText(value) };
    case "number":
      return toNumber(value);
    case "boolean":
      return toBoolean(value);
    case "date":
      return toDate(value);
    case "json":
      return toJson(value);
  }
}

function toText(value: unknown): string {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? String(value) : value.toISOString();
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

function toNumber(value: unknown): CastResult {
  if (typeof value === "number") return Number.isFinite(value) ? { ok: true, value } : notA(value, "number");
  if (typeof value === "bigint") return { ok: true, value: Number(value) };
  if (typeof value === "string" && value.trim() !== "") {
    const n = Number(value.trim());
    if (Number.isFinite(n)) return { ok: true, value: n };
  }
  return notA(value, "number");
}

function toBoolean(value: unknown): CastResult {
  if (typeof value === "boolean") return { ok: true, value };
  if (value === 1 || value === 0) return { ok: true, value: value === 1 };
  if (typeof value === "string") {
    const word = value.trim().toLowerCase();
    if (TRUE_WORDS.has(word)) return { ok: true, value: true };
    if (FALSE_WORDS.has(word)) return { ok: true, value: false };
  }
  return notA(value, "boolean");
}

function toDate(value: unknown): CastResult {
  const date = value instanceof Date ? value : typeof value === "string" && value.trim() !== "" ? new Date(value) : undefined;
  if (!date || Number.isNaN(date.getTime())) return notA(value, "date");
  return { ok: true, value: date.toISOString() };
}

/** A timestamp as Sluice hands it to JSON-only destinations (see WarehouseSession.readDiffPage). */
const ISO_TIMESTAMP = /^-?\d{4,6}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

function toJson(value: unknown): CastResult {
  if (typeof value !== "string") return { ok: true, value };
  // A timestamp stays a timestamp, whether it arrives as a Date or as the ISO string JSON would make of it.
  if (ISO_TIMESTAMP.test(value)) return { ok: true, value };
  try {
    return { ok: true, value: JSON.parse(value) };
  } catch (error) {
    const why = error instanceof Error ? error.message : "parse error";
    return { ok: false, reason: `${show(value)} is not valid JSON (${why})` };
  }
}

function notA(value: unknown, what: string): CastResult {
  return { ok: false, reason: `${show(value)} is not a ${what}` };
}

const SHOWN_CHARS = 60;

/** The value as it appears in a reason: JSON-quoted, cut short so a huge cell cannot flood the outcome table. */
function show(value: unknown): string {
  let text: string;
  try {
    text = typeof value === "bigint" ? value.toString() : (JSON.stringify(value) ?? String(value));
  } catch {
    text = String(value);
  }
  return text.length > SHOWN_CHARS ? `${text.slice(0, SHOWN_CHARS)}…` : text;
}

function setPath(target: Record<string, unknown>, segments: string[], value: unknown): void {
  const last = segments[segments.length - 1] as string;
  let node = target;
  for (let i = 0; i < segments.length - 1; i++) {
    const segment = segments[i] as string;
    const next = node[segment];
    if (next && typeof next === "object" && !Array.isArray(next)) node = next as Record<string, unknown>;
    else {
      const created: Record<string, unknown> = {};
      node[segment] = created;
      node = created;
    }
  }
  node[last] = value;
}
