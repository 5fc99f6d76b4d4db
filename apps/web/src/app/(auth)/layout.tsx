import { ArrowRight, Database, Send, Table2 } from "lucide-react";
import type { ReactNode } from "react";
import { Wordmark } from "@/components/ui/logo";

const FLOW = [
  { icon: Database, label: "Warehouse", text: "Postgres, Snowflake, BigQuery" },
  { icon: Table2, label: "Model", text: "A SQL query with a primary key" },
  { icon: Send, label: "Destination", text: "CRMs, ad platforms, webhooks" },
];

export default function AuthLayout({ children }: { children: ReactNode }) {
  return (
    <div className="grid min-h-screen lg:grid-cols-[1fr_minmax(0,34rem)]">
      <aside className="relative hidden overflow-hidden bg-zinc-950 lg:flex lg:flex-col lg:justify-between lg:p-12">
        <div className="pointer-events-none absolute -top-40 -left-24 size-[36rem] rounded-full bg-brand-600/25 blur-3xl" />
        <div className="pointer-events-none absolute -right-32 -bottom-48 size-[28rem] rounded-full bg-cyan-400/10 blur-3xl" />
        <div className="relative flex items-center gap-2 text-white">
          <span className="text-lg font-semibold tracking-tight">Sluice</span>
          <span className="rounded-full bg-white/10 px-2 py-0.5 text-xs text-zinc-300">open source</span>
        </div>
        <div className="relative max-w-lg">
          <h2 className="text-3xl font-semibold tracking-tight text-white">
            Put warehouse data to work where your teams already are.
          </h2>
          <p className="mt-4 text-base leading-7 text-zinc-400">
            Sluice works out what changed inside your warehouse and delivers only that — with retries, rate limits and a live view
            of every record.
          </p>
          <ol className="mt-10 flex items-center gap-3">
            {FLOW.map((step, i) => (
              <li key={step.label} className="flex items-center gap-3">
                <div className="rounded-xl bg-white/5 p-4 ring-1 ring-white/10">
                  <step.icon className="size-5 text-brand-300" aria-hidden />
                  <p className="mt-3 text-sm font-medium text-white">{step.label}</p>
                  <p className="mt-1 text-xs leading-5 text-zinc-400">{step.text}</p>
                </div>
                {i < FLOW.length - 1 ? <ArrowRight className="size-4 shrink-0 text-zinc-600" aria-hidden /> : null}
              </li>
            ))}
          </ol>
        </div>
        <p className="relative text-xs text-zinc-500">
          Reverse ETL, self-hosted. Your credentials stay encrypted in your database.
        </p>
      </aside>
      <main className="flex flex-col justify-center bg-white px-6 py-12 sm:px-12">
        <div className="mx-auto w-full max-w-sm">
          <Wordmark />
          <div className="mt-10">{children}</div>
        </div>
      </main>
    </div>
  );
}
