// `npm run bench` (issue 3, item 11): a 1,000,000-row model synced to a local sink by the engine, next to
// the bare pipe and the bare SQL on the same data, with peak worker RSS at 100k and 1M rows. It prints
// figures and whether each target is met; it never fails on a target (exit 1 only if something breaks).
// Last, destination rate limits (issue 4, destinations.ts); BENCH_ONLY=destinations runs that section alone.
import { performance } from "node:perf_hooks";
import { type BarePipeResult, runBarePipe } from "./bare-pipe";
import { bareDiff, bareSnapshot, diffPipeQuery, resetBareSchema } from "./bare-sql";
import { Cleanup } from "./cleanup";
import { BENCH_TIMEOUT_MS, onlySection, ROWS, SMALL_ROWS, TARGETS, WAREHOUSE_SCHEMA } from "./config";
import { type ControlPlane, createBenchSync, openControlPlane, phaseDurations } from "./control-plane";
import { createScratchDatabases, resolveServer } from "./databases";
import { benchDestinations } from "./destinations";
import { measureEngineRun, printEngineRun } from "./engine-step";
import { readCpuMs } from "./proc";
import { int, line, machineInfo, mb, rate, ratio, say, secs, step, summary } from "./report";
import { type SinkHandle, startSinkProcess } from "./sink";
import { applyChanges, buildUsersTable, connectWarehouse } from "./warehouse-data";

const BIG = "users";
const SMALL = "users_small";
const UPSERT_OPS: ("added" | "changed")[] = ["added", "changed"];
const pipeQuery = (table: string) =>
  `select 'insert' as op, id, email, plan, score, attrs, updated_at from ${WAREHOUSE_SCHEMA}.${table}`;

async function timed<T>(label: string, fn: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const value = await fn();
  line(label, secs(performance.now() - started));
  return value;
}

function printPipe(label: string, r: BarePipeResult, received: number, sinkCpuMs: number | undefined): number {
  const perSecond = rate(r.records, r.ms);
  line(label, `${int(r.records)} records in ${secs(r.ms)} → ${int(perSecond)} records/s (sink got ${int(received)})`);
  const sinkCpu = sinkCpuMs === undefined ? "" : `, sink process ${secs(sinkCpuMs)}`;
  line("  CPU", `pipe process ${secs(r.cpuMs)} (${((100 * r.cpuMs) / r.ms).toFixed(0)}% of wall)${sinkCpu}`);
  return perSecond;
}

async function bench(cleanup: Cleanup): Promise<void> {
  const only = onlySection();
  const server = await resolveServer((l) => line("embedded PostgreSQL", l));
  cleanup.add("stop the PostgreSQL server", () => server.stop());
  machineInfo(server.label);
  say(`\nRows: ${int(ROWS)} (big model), ${int(SMALL_ROWS)} (small model)`);

  step("Setup: scratch databases, control-plane migrations");
  const dbs = await timed("create the databases", async () => {
    const created = await createScratchDatabases(server.adminUrl);
    cleanup.add("drop the scratch databases", () => created.drop());
    return created;
  });
  const cp = await timed("migrate the control plane (prisma + queue)", () => openControlPlane(dbs.controlUrl));
  cleanup.add("close the control plane", () => cp.close());
  const wh = await connectWarehouse(dbs.warehouseUrl);
  cleanup.add("close the warehouse connection", () => wh.end());
  if (only === "destinations") return benchDestinations(cp, wh, dbs.warehouseUrl);
  const quick = only === "full-sync";

  step(`1. Build the tables (generate_series, 6 columns incl. jsonb)`);
  await timed(`${int(ROWS)} rows (${BIG})`, () => buildUsersTable(wh, BIG, ROWS));
  if (!quick) await timed(`${int(SMALL_ROWS)} rows (${SMALL})`, () => buildUsersTable(wh, SMALL, SMALL_ROWS));

  step("2. Local HTTP sink (own process, 127.0.0.1, answers 200 {})");
  const sink = await timed("started", () => startSinkProcess());
  cleanup.add("stop the sink", () => sink.stop());
  line("url", sink.url);

  step("3. Bare pipe: cursor (FETCH 5000) → JSON → POST 500 records, 8 in flight");
  const pipe = async (label: string, query: string) => {
    sink.reset();
    const sinkCpu = readCpuMs(sink.pid);
    const r = await runBarePipe({ warehouseUrl: dbs.warehouseUrl, query, sinkUrl: sink.url });
    const sinkCpuMs = sinkCpu === undefined ? undefined : (readCpuMs(sink.pid) ?? sinkCpu) - sinkCpu;
    return { perSecond: printPipe(label, r, (await sink.stats()).records, sinkCpuMs), result: r };
  };
  const pipeSmall = quick ? 0 : (await pipe(`${int(SMALL_ROWS)} rows`, pipeQuery(SMALL))).perSecond;
  const pipeBig = (await pipe(`${int(ROWS)} rows`, pipeQuery(BIG))).perSecond;
  if (quick) return quickFullSync(cp, sink, dbs.warehouseUrl, pipeBig);

  step("4. Bare SQL: snapshot (CTAS pk + columns + md5(row), primary key, analyze) and full-outer-join diff");
  await resetBareSchema(wh);
  const snapA = await bareSnapshot(wh, BIG, "snap_a");
  line(`snapshot of ${int(ROWS)} rows`, secs(snapA.ms));
  await bareSnapshot(wh, BIG, "snap_b");
  const diffAB = await bareDiff(wh, { snapshot: "snap_b", committed: "snap_a", diff: "diff_ab", ops: UPSERT_OPS });
  line(`diff of two ${int(ROWS)}-row snapshots (no change)`, secs(diffAB.ms));

  step("5. Engine full sync (upsert, 5 mapped columns, webhook batchSize 500), executeRun in a child process");
  const smallSync = await createBenchSync(cp.ctx, {
    name: "bench small",
    warehouseUrl: dbs.warehouseUrl,
    table: SMALL,
    sinkUrl: sink.url,
  });
  const bigSync = await createBenchSync(cp.ctx, {
    name: "bench big",
    warehouseUrl: dbs.warehouseUrl,
    table: BIG,
    sinkUrl: sink.url,
  });
  say(`   ${int(SMALL_ROWS)} rows:`);
  const small = await measureEngineRun(cp, sink, smallSync);
  printEngineRun(small, { label: `bare pipe (${int(SMALL_ROWS)} rows)`, recordsPerSecond: pipeSmall });
  say(`   ${int(ROWS)} rows:`);
  const full = await measureEngineRun(cp, sink, bigSync);
  printEngineRun(full, { label: `bare pipe (${int(ROWS)} rows)`, recordsPerSecond: pipeBig });

  step("6. Incremental: 5% updates, 1% deletes, 1% inserts on the big table");
  const changes = await timed("applied (then vacuum analyze)", () => applyChanges(wh, BIG, ROWS));
  line("changes", `${int(changes.updated)} updated, ${int(changes.deleted)} deleted, ${int(changes.inserted)} inserted`);
  say("   (upsert delivers added + changed; removed rows are diffed but not sent, by the engine and here alike)");
  const snapC = await bareSnapshot(wh, BIG, "snap_c");
  line("bare snapshot", secs(snapC.ms));
  const diffCA = await bareDiff(wh, { snapshot: "snap_c", committed: "snap_a", diff: "diff_ca", ops: UPSERT_OPS });
  line("bare diff", secs(diffCA.ms));
  const changed = (await pipe("bare delivery of the changed rows", diffPipeQuery("diff_ca"))).result;
  const bareIncrementalMs = snapC.ms + diffCA.ms + changed.ms;
  line("bare SQL + bare delivery", secs(bareIncrementalMs));
  say("   engine incremental run:");
  const incremental = await measureEngineRun(cp, sink, bigSync);
  printEngineRun(incremental);
  const incrementalRatio = incremental.result.ms / bareIncrementalMs;
  line("ratio to bare SQL + bare delivery", ratio(incrementalRatio));

  const fullRatio = full.recordsPerSecond / pipeBig;
  const deliveringMs = phaseDurations(full.run).find((p) => p.status === "delivering")?.ms ?? 0;
  const deliveringRate = rate(full.run.counts.delivered, deliveringMs);
  const rssSmall = small.result.vmHwmKb ?? small.result.maxRssKb;
  const rssBig = Math.max(full.result.vmHwmKb ?? full.result.maxRssKb, incremental.result.vmHwmKb ?? 0);
  const limitKb = TARGETS.peakRssMb * 1024;
  summary([
    {
      target: `full sync ≥ ${TARGETS.fullSyncVsBarePipe}× bare pipe (${int(ROWS)} rows)`,
      measured: `${int(full.recordsPerSecond)} vs ${int(pipeBig)} rec/s = ${ratio(fullRatio)}`,
      met: fullRatio >= TARGETS.fullSyncVsBarePipe,
    },
    {
      target: "(info) full sync, delivering phase alone vs bare pipe",
      measured: `${int(deliveringRate)} vs ${int(pipeBig)} rec/s = ${ratio(deliveringRate / pipeBig)}`,
      met: undefined,
    },
    {
      target: `incremental ≤ ${TARGETS.incrementalVsBare}× bare SQL + delivery`,
      measured: `${secs(incremental.result.ms)} vs ${secs(bareIncrementalMs)} = ${ratio(incrementalRatio)}`,
      met: incrementalRatio <= TARGETS.incrementalVsBare,
    },
    {
      target: `peak RSS < ${TARGETS.peakRssMb} MB at ${int(SMALL_ROWS)} and ${int(ROWS)} rows`,
      measured: `${mb(rssSmall)} / ${mb(rssBig)}`,
      met: rssSmall < limitKb && rssBig < limitKb,
    },
    {
      target: `peak RSS flat (${int(ROWS)} ≤ ${TARGETS.rssFlatRatio}× ${int(SMALL_ROWS)})`,
      measured: `${mb(rssBig)} vs ${mb(rssSmall)} = ${ratio(rssBig / rssSmall)}`,
      met: rssBig <= TARGETS.rssFlatRatio * rssSmall,
    },
  ]);
  say("   (figures only: the bench does not fail on a missed target)");

  await benchDestinations(cp, wh, dbs.warehouseUrl);
}

/** BENCH_ONLY=full-sync: the engine's full sync of the big model against the bare pipe, nothing else. */
async function quickFullSync(cp: ControlPlane, sink: SinkHandle, warehouseUrl: string, pipeBig: number): Promise<void> {
  step(`5. Engine full sync of ${int(ROWS)} rows (upsert, 5 mapped columns, webhook batchSize 500)`);
  const syncId = await createBenchSync(cp.ctx, { name: "bench big", warehouseUrl, table: BIG, sinkUrl: sink.url });
  const full = await measureEngineRun(cp, sink, syncId);
  printEngineRun(full, { label: `bare pipe (${int(ROWS)} rows)`, recordsPerSecond: pipeBig });
}

async function main(): Promise<number> {
  const cleanup = new Cleanup();
  const started = performance.now();
  let stopping = false;
  const stopNow = (why: string) => {
    stopping = true;
    console.error(`\n✖ ${why}: cleaning up`);
    void cleanup.run().finally(() => process.exit(1));
  };
  process.once("SIGINT", () => stopNow("interrupted"));
  process.once("SIGTERM", () => stopNow("terminated"));
  const watchdog = setTimeout(() => stopNow(`the bench ran over ${BENCH_TIMEOUT_MS / 60_000} minutes`), BENCH_TIMEOUT_MS);
  try {
    await bench(cleanup);
    return 0;
  } catch (error) {
    if (stopping) return 1; // the interruption's cleanup made the step fail; that is not news
    console.error(`\n✖ bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return 1;
  } finally {
    clearTimeout(watchdog);
    await cleanup.run();
    say(`\nTotal bench time: ${secs(performance.now() - started)}`);
  }
}

main().then((code) => process.exit(code));
