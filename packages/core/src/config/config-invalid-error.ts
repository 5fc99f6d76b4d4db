// A config file with problems: every issue keeps its path in the file (syncs[0].mappings[2].cast), so the
// CLI can point at the line; fieldErrors carries the same for API callers.
import { type ConfigIssue, formatConfigPath } from "@sluice/contracts/sluice-config";
import { AppError } from "../errors";

export class ConfigInvalidError extends AppError {
  override name = "ConfigInvalidError";
  constructor(readonly issues: ConfigIssue[]) {
    const fieldErrors: Record<string, string[]> = {};
    for (const issue of issues) {
      const key = formatConfigPath(issue.path) || "_file";
      fieldErrors[key] = [...(fieldErrors[key] ?? []), issue.message];
    }
    const first = issues[0];
    const where = first ? `${formatConfigPath(first.path) || "file"}: ${first.message}` : "";
    const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : "";
    super("BAD_REQUEST", `The config is invalid — ${where}${more}. Nothing was changed.`, fieldErrors);
  }
}

export function isConfigInvalidError(error: unknown): error is ConfigInvalidError {
  return error instanceof ConfigInvalidError;
}
