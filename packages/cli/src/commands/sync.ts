// `sluice sync run|pause|resume|cancel NAME` and `sluice runs NAME`: the run engine's functions, by sync name.
import { isRunFinished, type RunView, SETTLED_RUN_STATUSES } from "@sluice/contracts/run-view";
import { ensureQueue } from "@sluice/core/queue/ensure-queue";
import { cancelRun } from "@sluice/core/runs/cancel-run";
import { getRun } from "@sluice/core/runs/get-run";
import { listRuns } from "@sluice/core/runs/list-runs";
import { pauseRun } from "@sluice/core/runs/pause-run";
import { resumeRun } from "@sluice/core/runs/resume-run";
import { triggerRun } from "@sluice/core/runs/trigger-run";
import { getActiveRunId, getSyncByName } from "@sluice/core/syncs/list-syncs";
import { CliError } from "../cli-error";
import { describeRun, runsTable } from "../format-run";
import { type GlobalOptions, type Session, say, withSession } from "../session";

const POLL_MS = Number(process.env.SLUICE_CLI_POLL_MS ?? 1_000);

function print(run: RunView, json: boolean | undefined): void {
  process.stdout.write(json ? `${JSON.stringify(run, null, 2)}\n` : `${describeRun(run).join("\n")}\n`);
}

export async function syncRunCommand(
  name: string,
  options: GlobalOptions & { full?: boolean; wait?: boolean; json?: boolean },
): Promise<void> {
  await withSession(options, async ({ ctx, config }) => {
    const sync = await getSyncByName(ctx, { name });
    await ensureQueue(config.databaseUrl);
    const { run, created } = await triggerRun(ctx, { syncId: sync.id, trigger: "cli", fullResync: options.full ?? false });
    say(created ? `· queued run ${run.id} of ${name}` : `· ${name} already has a run in progress (${run.status}): ${run.id}`);
    if (!options.wait) {
      print(run, options.json);
      return;
    }
    const settled = await waitForRun({ ctx, config, close: async () => {} }, run);
    print(settled, options.json);
    if (settled.status !== "succeeded") throw new CliError("", settled.status === "paused" ? 3 : 1);
  });
}

async function waitForRun(session: Session, first: RunView): Promise<RunView> {
  let run = first;
  let shown = run.status;
  while (!(SETTLED_RUN_STATUSES as readonly string[]).includes(run.status)) {
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    run = await getRun(session.ctx, { runId: run.id });
    if (run.status !== shown) {
      shown = run.status;
      const c = run.counts;
      say(`· ${run.status}${run.status === "delivering" ? ` (${c.delivered + c.rejected + c.failed}/${c.planned})` : ""}`);
    }
  }
  return run;
}

export async function runControlCommand(
  action: "pause" | "resume" | "cancel",
  name: string,
  options: GlobalOptions & { json?: boolean },
): Promise<void> {
  await withSession(options, async ({ ctx, config }) => {
    const sync = await getSyncByName(ctx, { name });
    const runId = await getActiveRunId(ctx, { syncId: sync.id });
    if (!runId) throw new CliError(`Sync "${name}" has no run in progress.`);
    await ensureQueue(config.databaseUrl);
    const fn = { pause: pauseRun, resume: resumeRun, cancel: cancelRun }[action];
    const run = await fn(ctx, { runId });
    print(run, options.json);
  });
}

export async function runsCommand(name: string, options: GlobalOptions & { json?: boolean; limit?: string }): Promise<void> {
  await withSession(options, async ({ ctx }) => {
    const sync = await getSyncByName(ctx, { name });
    const limit = options.limit ? Number(options.limit) : 20;
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw new CliError("--limit must be a whole number from 1 to 100");
    const { items } = await listRuns(ctx, { syncId: sync.id, limit });
    if (options.json) {
      process.stdout.write(`${JSON.stringify(items, null, 2)}\n`);
      return;
    }
    if (items.length === 0) {
      process.stdout.write(`${name} has no runs yet — start one with: sluice sync run ${name}\n`);
      return;
    }
    process.stdout.write(`${runsTable(items).join("\n")}\n`);
    const active = items.find((r) => !isRunFinished(r.status));
    if (active) say(`· run ${active.id} is ${active.status}`);
  });
}
