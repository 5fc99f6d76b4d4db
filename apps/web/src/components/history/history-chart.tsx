"use client";
// The last runs at a glance: records per run as stacked bars (outcomes, or what the diff found) and how long
// each run took as a line on its own axis. A bar opens its run.
import { useRouter } from "next/navigation";
import { useMemo, useState } from "react";
import {
  Bar,
  CartesianGrid,
  ComposedChart,
  Line,
  ResponsiveContainer,
  Tooltip,
  type TooltipContentProps,
  XAxis,
  type XAxisTickContentProps,
  YAxis,
} from "recharts";
import { formatDuration } from "@/components/workspace/sync-runs";
import { cn } from "@/lib/cn";
import {
  type ChartRow,
  formatCount,
  formatDurationTick,
  type HistoryPoint,
  hasChartData,
  RECORD_SERIES,
  type RecordView,
  toChartRows,
} from "./chart-data";
import { formatDateTimeSeconds, STATUS_LABEL, TRIGGER_LABEL } from "./run-format";

const DURATION_COLOR = "#3f3f46";
const AXIS_TICK = { fontSize: 11, fill: "#71717a" };

export function HistoryChart({ points, runHref }: { points: HistoryPoint[]; runHref: (runId: string) => string }) {
  const router = useRouter();
  const [view, setView] = useState<RecordView>("outcomes");
  const rows = useMemo(() => toChartRows(points), [points]);
  const series = RECORD_SERIES[view];
  const drawable = hasChartData(rows, view);

  return (
    <div data-testid="history-chart">
      <div className="flex flex-wrap items-center justify-between gap-3 px-5 pt-4">
        <ul className="flex flex-wrap items-center gap-x-4 gap-y-1 text-xs text-zinc-600" aria-label="Legend">
          {series.map((s) => (
            <li key={s.key} className="inline-flex items-center gap-1.5">
              <span className="size-2.5 rounded-sm" style={{ backgroundColor: s.color }} aria-hidden />
              {s.label}
            </li>
          ))}
          <li className="inline-flex items-center gap-1.5">
            <span className="h-0.5 w-3.5 rounded" style={{ backgroundColor: DURATION_COLOR }} aria-hidden />
            Duration (right axis)
          </li>
        </ul>
        <fieldset className="inline-flex rounded-lg bg-zinc-100 p-0.5 text-xs font-medium">
          <legend className="sr-only">Records shown</legend>
          {(
            [
              ["outcomes", "Outcomes"],
              ["changes", "Changes"],
            ] as const
          ).map(([value, label]) => (
            <button
              key={value}
              type="button"
              aria-pressed={view === value}
              onClick={() => setView(value)}
              className={cn(
                "rounded-md px-2.5 py-1 transition-colors",
                view === value ? "bg-white text-zinc-900 shadow-xs ring-1 ring-zinc-200" : "text-zinc-500 hover:text-zinc-800",
              )}
            >
              {label}
            </button>
          ))}
        </fieldset>
      </div>
      <div className="relative h-64 px-2 pt-2 pb-3">
        {drawable ? null : (
          <p className="absolute inset-0 z-10 flex items-center justify-center text-sm text-zinc-400">
            {view === "outcomes" ? "No records were sent in these runs yet." : "The diff found no changes in these runs."}
          </p>
        )}
        <ResponsiveContainer width="100%" height="100%">
          <ComposedChart data={rows} margin={{ top: 8, right: 4, bottom: 0, left: 0 }} barCategoryGap="20%">
            <CartesianGrid vertical={false} stroke="#f4f4f5" />
            <XAxis
              dataKey="index"
              tick={(props: XAxisTickContentProps) => (
                <RunTick x={Number(props.x)} y={Number(props.y)} row={rows[Number(props.payload.value)]} />
              )}
              tickLine={false}
              axisLine={{ stroke: "#e4e4e7" }}
              minTickGap={12}
              height={36}
            />
            <YAxis
              yAxisId="records"
              tickFormatter={formatCount}
              tick={AXIS_TICK}
              tickLine={false}
              axisLine={false}
              width={44}
              allowDecimals={false}
            />
            <YAxis
              yAxisId="duration"
              orientation="right"
              tickFormatter={formatDurationTick}
              tick={AXIS_TICK}
              tickLine={false}
              axisLine={false}
              width={44}
            />
            <Tooltip
              cursor={{ fill: "#f4f4f5" }}
              content={(props) => <RunTooltip active={props.active} payload={props.payload} view={view} />}
            />
            {series.map((s, i) => (
              <Bar
                key={s.key}
                yAxisId="records"
                dataKey={s.key}
                name={s.label}
                stackId="records"
                fill={s.color}
                maxBarSize={36}
                radius={i === series.length - 1 ? [3, 3, 0, 0] : 0}
                isAnimationActive={false}
                activeBar={false}
                className="cursor-pointer"
                onClick={(_, index) => {
                  const row = rows[index];
                  if (row) router.push(runHref(row.runId));
                }}
              />
            ))}
            <Line
              yAxisId="duration"
              dataKey="duration"
              name="Duration"
              stroke={DURATION_COLOR}
              strokeWidth={1.5}
              dot={{ r: 2.5, fill: DURATION_COLOR, strokeWidth: 0 }}
              activeDot={{ r: 4 }}
              connectNulls
              isAnimationActive={false}
            />
          </ComposedChart>
        </ResponsiveContainer>
      </div>
    </div>
  );
}

/** Runs that did not succeed say so under their time: a failed run with no records has no bar to show it. */
const TICK_STATUS: Partial<Record<ChartRow["status"], { text: string; color: string }>> = {
  failed: { text: "failed", color: "#dc2626" },
  cancelled: { text: "cancelled", color: "#71717a" },
  paused: { text: "paused", color: "#b45309" },
  queued: { text: "queued", color: "#0369a1" },
  planning: { text: "running", color: "#0369a1" },
  snapshotting: { text: "running", color: "#0369a1" },
  diffing: { text: "running", color: "#0369a1" },
  delivering: { text: "running", color: "#0369a1" },
  committing: { text: "running", color: "#0369a1" },
};

function RunTick({ x, y, row }: { x: number; y: number; row: ChartRow | undefined }) {
  if (!row) return <g />;
  const status = TICK_STATUS[row.status];
  return (
    <g transform={`translate(${x},${y})`}>
      <text dy={10} textAnchor="middle" fontSize={AXIS_TICK.fontSize} fill={AXIS_TICK.fill}>
        {row.label}
      </text>
      {status ? (
        <text dy={23} textAnchor="middle" fontSize={10} fontWeight={500} fill={status.color}>
          {status.text}
        </text>
      ) : null}
    </g>
  );
}

function RunTooltip({
  active,
  payload,
  view,
}: Pick<TooltipContentProps<number, string>, "active" | "payload"> & { view: RecordView }) {
  const row = payload?.[0]?.payload as ChartRow | undefined;
  if (!active || !row) return null;
  return (
    <div className="min-w-48 rounded-lg bg-white px-3 py-2.5 text-xs shadow-lg ring-1 ring-zinc-200">
      <p className="font-medium text-zinc-900">{formatDateTimeSeconds(row.startedAt ?? row.createdAt)}</p>
      <p className="mt-0.5 text-zinc-500">
        {STATUS_LABEL[row.status]} · {TRIGGER_LABEL[row.trigger]}
        {row.fullResync ? " · full resync" : ""}
        {row.durationMs !== null ? ` · ${formatDuration(row.durationMs)}` : ""}
      </p>
      <dl className="mt-2 space-y-0.5">
        {RECORD_SERIES[view].map((s) => (
          <div key={s.key} className="flex items-center justify-between gap-4">
            <dt className="inline-flex items-center gap-1.5 text-zinc-600">
              <span className="size-2 rounded-sm" style={{ backgroundColor: s.color }} aria-hidden />
              {s.label}
            </dt>
            <dd className="font-medium text-zinc-900 tabular-nums">{(row[s.key] as number).toLocaleString()}</dd>
          </div>
        ))}
      </dl>
      <p className="mt-2 text-[11px] text-zinc-400">Click the bar to open the run.</p>
    </div>
  );
}
