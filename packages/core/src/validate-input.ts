// Zod failures as AppError BAD_REQUEST with field errors keyed by path ("name", "config.host"), so a
// form can show each message beside its field. Core validates its own inputs: callers may skip forms.
import type { z } from "zod";
import { AppError } from "./errors";

export const FIX_FIELDS_MESSAGE = "Please fix the highlighted fields.";

export function fieldErrorsFromZod(error: z.ZodError, prefix?: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const key = [prefix, ...issue.path.map(String)].filter((p) => p !== undefined && p !== "").join(".") || "_form";
    out[key] = [...(out[key] ?? []), issue.message];
  }
  return out;
}

export function parseInput<S extends z.ZodType>(schema: S, input: unknown, prefix?: string): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw new AppError("BAD_REQUEST", FIX_FIELDS_MESSAGE, fieldErrorsFromZod(result.error, prefix));
  return result.data;
}

/** Prisma's unique-constraint violation, whichever driver raised it. */
export function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: string } | null)?.code === "P2002";
}
