// `sluice apply -f FILE [--dry-run]`: validates the whole file (YAML, ${ENV} substitution, shapes, then
// references and connector configs against the workspace) and writes everything in one transaction, or
// nothing. Errors name the file, line and column.
import { readFileSync } from "node:fs";
import { parseSluiceConfig } from "@sluice/contracts/sluice-config";
import { applyConfig } from "@sluice/core/config/apply-config";
import { isConfigInvalidError } from "@sluice/core/config/config-invalid-error";
import type { PlanEntry } from "@sluice/core/config/plan-config";
import { CliError } from "../cli-error";
import { type GlobalOptions, withSession } from "../session";
import { formatIssues, parseYaml } from "../yaml-positions";

const NOTHING_CHANGED = "Nothing was changed.";
const SYMBOL = { create: "+", update: "~", unchanged: "=" } as const;

export async function applyCommand(options: GlobalOptions & { file: string; dryRun?: boolean }): Promise<void> {
  const file = options.file;
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new CliError(`${file}: cannot read the file (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  const parsedYaml = parseYaml(text, file);
  if (!parsedYaml.ok) throw new CliError([...parsedYaml.errors, NOTHING_CHANGED].join("\n"));
  const parsed = parseSluiceConfig(parsedYaml.value, process.env);
  if (!parsed.ok) throw new CliError([...formatIssues(parsedYaml.yaml, file, parsed.issues), NOTHING_CHANGED].join("\n"));

  await withSession(
    options,
    async (session) => {
      let { ctx } = session;
      let result: Awaited<ReturnType<typeof applyConfig>>;
      const dryRun = options.dryRun ?? false;
      try {
        // A workspace that does not exist yet is created only once the whole file is known to be valid.
        if (ctx.workspaceId === "") {
          result = await applyConfig(ctx, parsed.config, { dryRun: true });
          if (!dryRun) {
            ctx = await session.createWorkspace();
            result = await applyConfig(ctx, parsed.config, { dryRun });
          }
        } else result = await applyConfig(ctx, parsed.config, { dryRun });
      } catch (error) {
        if (isConfigInvalidError(error)) {
          throw new CliError([...formatIssues(parsedYaml.yaml, file, error.issues), NOTHING_CHANGED].join("\n"));
        }
        throw error;
      }
      for (const line of planLines(result.plan, { workspace: ctx.workspaceSlug, file, dryRun: result.dryRun })) {
        process.stdout.write(`${line}\n`);
      }
    },
    { create: false },
  );
}

export function planLines(plan: PlanEntry[], o: { workspace: string; file: string; dryRun: boolean }): string[] {
  const lines = [`Plan for workspace "${o.workspace}" from ${o.file}:`];
  for (const entry of plan) {
    const changes = entry.changes.length > 0 ? ` (${entry.changes.join(", ")})` : "";
    lines.push(`  ${SYMBOL[entry.action]} ${entry.action.padEnd(9)} ${entry.kind.padEnd(11)} ${entry.name}${changes}`);
  }
  if (plan.length === 0) lines.push("  (the file defines nothing)");
  const count = (action: PlanEntry["action"]) => plan.filter((p) => p.action === action).length;
  const totals = `${count("create")} to create, ${count("update")} to update, ${count("unchanged")} unchanged`;
  lines.push(o.dryRun ? `Dry run: ${totals}. Nothing was written.` : `Applied: ${totals}.`);
  return lines;
}
