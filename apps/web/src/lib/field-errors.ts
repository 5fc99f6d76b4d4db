// Validation issues → `{ "config.host": ["Required"] }`, the same shape AppError.fieldErrors uses.
export type FieldErrors = Record<string, string[]>;

interface Issue {
  path?: ReadonlyArray<PropertyKey | { key: PropertyKey }> | undefined;
  message: string;
}

export function hasIssues(value: unknown): value is { issues: Issue[] } {
  return typeof value === "object" && value !== null && Array.isArray((value as { issues?: unknown }).issues);
}

export function fieldErrorsFromIssues(issues: readonly Issue[]): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of issues) {
    const key = (issue.path ?? []).map((p) => String(typeof p === "object" ? p.key : p)).join(".") || "_form";
    out[key] ??= [];
    out[key].push(issue.message);
  }
  return out;
}

export function fieldErrorsFromZod(error: { issues: readonly Issue[] }): FieldErrors {
  return fieldErrorsFromIssues(error.issues);
}
