// The `sluice` command line: apply a config file, run/pause/resume/cancel syncs, list runs, start a worker.
// It acts directly on the control-plane database (DATABASE_URL, else the embedded one of `npm start`).
import { isAppError } from "@sluice/core/errors";
import { Command, Option } from "commander";
import { CliError } from "./cli-error";
import { applyCommand } from "./commands/apply";
import { runControlCommand, runsCommand, syncRunCommand } from "./commands/sync";
import { workerCommand } from "./commands/worker";
import type { GlobalOptions } from "./session";

function buildProgram(): Command {
  const program = new Command("sluice")
    .description("Sluice Reverse ETL: apply config, run syncs, start a worker")
    .addOption(
      new Option("-w, --workspace <slug>", 'workspace to act in (created if missing; default "default")').env("SLUICE_WORKSPACE"),
    )
    .showHelpAfterError();
  const globals = (cmd: Command): GlobalOptions => cmd.optsWithGlobals();

  program
    .command("apply")
    .description("create or update sources, destinations, models and syncs from a YAML file (all or nothing)")
    .requiredOption("-f, --file <path>", "the config file, e.g. sluice.yaml")
    .option("--dry-run", "validate and print the plan without writing")
    .action((_opts, cmd: Command) => applyCommand({ ...globals(cmd), file: cmd.opts().file, dryRun: cmd.opts().dryRun }));

  const sync = program.command("sync").description("start, pause, resume or cancel a sync's run");
  sync
    .command("run <name>")
    .description("start a run (or join the one in progress)")
    .option("--full", "full resync: send every row, not just the changes")
    .option("--wait", "wait until the run succeeds, fails, is cancelled or paused (exit 0 only on success)")
    .option("--json", "print the run as JSON")
    .action((name: string, _opts, cmd: Command) => syncRunCommand(name, { ...globals(cmd), ...cmd.opts() }));
  for (const action of ["pause", "resume", "cancel"] as const) {
    const what = {
      pause: "pause the run in progress after its current batch",
      resume: "resume a paused run from its checkpoint",
      cancel: "cancel the run in progress without committing",
    }[action];
    sync
      .command(`${action} <name>`)
      .description(what)
      .option("--json", "print the run as JSON")
      .action((name: string, _opts, cmd: Command) => runControlCommand(action, name, { ...globals(cmd), ...cmd.opts() }));
  }

  program
    .command("runs <name>")
    .description("list a sync's recent runs, newest first")
    .option("--json", "print the runs as JSON")
    .option("--limit <n>", "how many runs (1–100, default 20)")
    .action((name: string, _opts, cmd: Command) => runsCommand(name, { ...globals(cmd), ...cmd.opts() }));

  program
    .command("worker")
    .description("start one worker process in the foreground (Ctrl-C drains it)")
    .action(async () => {
      process.exitCode = await workerCommand();
    });
  return program;
}

async function main(): Promise<void> {
  try {
    await buildProgram().parseAsync(process.argv);
  } catch (error) {
    process.exitCode = report(error);
  }
}

function report(error: unknown): number {
  if (error instanceof CliError) {
    if (error.message) process.stderr.write(`✖ ${error.message.split("\n").join("\n  ")}\n`);
    return error.exitCode;
  }
  if (isAppError(error)) {
    const fields = Object.entries(error.fieldErrors ?? {}).map(([k, v]) => `\n  ${k}: ${v.join("; ")}`);
    process.stderr.write(`✖ ${error.message}${fields.join("")}\n`);
    return 1;
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`✖ ${message}\n`);
  return 1;
}

await main();
