// Settings every table destination shares (postgres-table, mysql-table): the key columns, whether to create
// the table, and the batch size. Connection settings differ per database and live in each config.ts.
import { z } from "zod";

/** A column or table name: any text the database accepts, since names are always quoted, never pasted raw. */
export const sqlName = (what: string, maxLength: number) =>
  z
    .string()
    .trim()
    .min(1, `Enter the ${what}`)
    .max(maxLength, `At most ${maxLength} characters`)
    .refine((s) => !s.includes("\0"), "Must not contain a NUL character");

/** Forms send a comma-separated string; YAML and the API may send a list. Both become a list of names. */
export const keyColumnsSchema = z
  .union([z.string().transform((s) => s.split(",").map((part) => part.trim())), z.array(z.string())])
  .pipe(
    z
      .array(sqlName("key column", 64))
      .min(1, "Name at least one key column")
      .max(32, "At most 32 key columns")
      .refine((names) => new Set(names).size === names.length, "A key column is named twice"),
  )
  .describe(
    "Column(s) that identify a row, comma-separated (e.g. id, or account_id, email). Upserts match on them and mirror deletes by them; they need a primary key or unique index",
  );

export const createTableSchema = z
  .boolean()
  .default(false)
  .describe(
    "Create the table on the first run if it does not exist, with column types inferred from the first batch and the key columns as primary key",
  );

export const batchSizeSchema = z.coerce
  .number()
  .int()
  .min(1)
  .max(10_000)
  .default(1_000)
  .describe("Records per batch; each batch is written in one transaction (1–10000)");
