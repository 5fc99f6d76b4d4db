"use client";
// "Test-send one row": one row of the model, mapped with the mapping on screen (saved or not), sent through
// the destination exactly as a run sends it. Shows the exact request (method, URL, headers with secrets
// masked, body), the response (status, body, latency) and what a run would record. Nothing about the sync
// changes.
import type { TestSendDraftSyncInput } from "@sluice/contracts/test-send";
import { useMutation } from "@tanstack/react-query";
import { AlertOctagon, AlertTriangle, CheckCircle2, Send, XCircle } from "lucide-react";
import { useState } from "react";
import type { z } from "zod";
import { WorkingBar } from "@/components/models/working-bar";
import { useWorkspace } from "@/components/shell/workspace-context";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { cn } from "@/lib/cn";
import { useTRPC } from "@/trpc/react";
import { describeKey, prettyBody, sendableKey } from "./json-text";
import type { TestSendOutput } from "./types";

type DraftInput = Omit<z.input<typeof TestSendDraftSyncInput>, "key">;

const FIRST_ROW = "";

export function TestSendPanel({
  input,
  blockedReason,
  sampleKeys,
  destinationName,
}: {
  /** The sync as edited; null while it cannot be sent (`blockedReason` says why). */
  input: DraftInput | null;
  blockedReason?: string;
  /** Keys of the preview's rows, to pick which one to send. */
  sampleKeys: (Record<string, unknown> | null)[];
  destinationName: string;
}) {
  const trpc = useTRPC();
  const ws = useWorkspace();
  const send = useMutation(trpc.mapper.testSend.mutationOptions());
  const [choice, setChoice] = useState(FIRST_ROW);
  const keys = sampleKeys.map(sendableKey).filter((k): k is NonNullable<typeof k> => k !== null);
  const key = choice === FIRST_ROW ? undefined : keys.find((k) => JSON.stringify(k) === choice);

  return (
    <div className="rounded-lg ring-1 ring-zinc-200" data-testid="test-send">
      <div className="flex flex-wrap items-center justify-between gap-3 px-4 py-3">
        <div>
          <p className="text-sm font-medium text-zinc-900">Test-send one row</p>
          <p className="text-xs text-zinc-500">
            Sends one record to {destinationName} now, as a run would, with this mapping. No run is recorded.
          </p>
        </div>
        <div className="flex flex-wrap items-center gap-2">
          <select
            aria-label="Row to send"
            value={choice}
            onChange={(e) => setChoice(e.target.value)}
            disabled={!input || send.isPending}
            className="rounded-md border-0 py-1.5 pr-7 pl-2 font-mono text-xs text-zinc-800 shadow-xs ring-1 ring-zinc-300 ring-inset focus:ring-2 focus:ring-brand-500 disabled:bg-zinc-50"
          >
            <option value={FIRST_ROW}>The model's first row</option>
            {keys.map((k) => (
              <option key={JSON.stringify(k)} value={JSON.stringify(k)}>
                {describeKey(k)}
              </option>
            ))}
          </select>
          <Button
            variant="secondary"
            loading={send.isPending}
            disabled={!input}
            title={blockedReason}
            onClick={() => input && send.mutate({ workspace: ws.slug, ...input, ...(key ? { key } : {}) })}
          >
            {send.isPending ? null : <Send className="size-4" aria-hidden />} Send test row
          </Button>
        </div>
      </div>
      {!input && blockedReason ? (
        <p className="border-t border-zinc-100 px-4 py-2 text-xs text-zinc-500">{blockedReason}</p>
      ) : null}
      {send.isPending ? (
        <div className="border-t border-zinc-100 px-4 py-3">
          <WorkingBar label={`Reading the row and sending it to ${destinationName}`} />
        </div>
      ) : send.error ? (
        <div className="border-t border-zinc-100 px-4 py-3">
          <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800 ring-1 ring-red-200 ring-inset">
            {send.error.message}
          </p>
        </div>
      ) : send.data ? (
        <TestSendResultView result={send.data} />
      ) : null}
    </div>
  );
}

const OUTCOME: Record<
  TestSendOutput["result"]["status"],
  { title: string; tone: string; icon: typeof CheckCircle2; iconTone: string }
> = {
  ok: {
    title: "Delivered: the destination accepted the record.",
    tone: "bg-emerald-50 text-emerald-900 ring-emerald-200",
    icon: CheckCircle2,
    iconTone: "text-emerald-600",
  },
  rejected: {
    title: "Rejected: a run would record this row as rejected and not retry it until it changes.",
    tone: "bg-amber-50 text-amber-900 ring-amber-200",
    icon: AlertTriangle,
    iconTone: "text-amber-600",
  },
  failed: {
    title: "Failed: a run would retry this row on its next run.",
    tone: "bg-red-50 text-red-900 ring-red-200",
    icon: XCircle,
    iconTone: "text-red-600",
  },
  mapping_failed: {
    title: "Not sent: the row could not be mapped.",
    tone: "bg-amber-50 text-amber-900 ring-amber-200",
    icon: AlertTriangle,
    iconTone: "text-amber-600",
  },
  fatal: {
    title: "The destination cannot be used as configured.",
    tone: "bg-red-50 text-red-900 ring-red-200",
    icon: AlertOctagon,
    iconTone: "text-red-600",
  },
};

function TestSendResultView({ result }: { result: TestSendOutput }) {
  const outcome = OUTCOME[result.result.status];
  const reason = "reason" in result.result ? result.result.reason : null;
  return (
    <div
      className="space-y-3 border-t border-zinc-100 px-4 py-3"
      data-testid="test-send-result"
      data-status={result.result.status}
    >
      <div
        role="status"
        className={cn("flex items-start gap-2.5 rounded-md px-3 py-2.5 text-sm ring-1 ring-inset", outcome.tone)}
      >
        <outcome.icon className={cn("mt-0.5 size-4 shrink-0", outcome.iconTone)} aria-hidden />
        <div>
          <p className="font-medium">{outcome.title}</p>
          {reason ? <p className="mt-0.5">{reason}</p> : null}
          {result.record ? (
            <p className="mt-0.5 text-xs opacity-80">
              Row {describeKey(result.record.key)} · idempotency key{" "}
              <span className="font-mono">{result.record.idempotencyKey}</span>
            </p>
          ) : null}
        </div>
      </div>
      {result.exchanges.length === 0 ? (
        <p className="text-xs text-zinc-500">
          {result.result.status === "mapping_failed" || result.result.status === "fatal"
            ? "Nothing was sent to the destination."
            : "This destination writes without HTTP requests, so there is no request to show."}
        </p>
      ) : (
        result.exchanges.map((exchange, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: exchanges are in the order they happened
          <div key={i} className="grid gap-3 lg:grid-cols-2" data-testid="exchange">
            <section aria-label="Request" className="min-w-0 rounded-md ring-1 ring-zinc-200">
              <header className="flex min-w-0 items-center gap-2 border-b border-zinc-100 bg-zinc-50 px-3 py-2">
                <span className="text-xs font-medium text-zinc-500">Request{result.exchanges.length > 1 ? ` ${i + 1}` : ""}</span>
                <Badge tone="brand" className="font-mono">
                  {exchange.request.method}
                </Badge>
                <span className="truncate font-mono text-xs text-zinc-800" data-testid="request-url" title={exchange.request.url}>
                  {exchange.request.url}
                </span>
              </header>
              <table className="w-full text-xs" data-testid="request-headers">
                <tbody className="divide-y divide-zinc-100">
                  {Object.entries(exchange.request.headers).map(([name, value]) => (
                    <tr key={name}>
                      <th scope="row" className="w-1/3 px-3 py-1 text-left font-mono font-normal text-zinc-500">
                        {name}
                      </th>
                      <td className="px-3 py-1 font-mono break-all text-zinc-800">{value}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <Body text={exchange.request.body} testId="request-body" />
            </section>
            <section aria-label="Response" className="min-w-0 rounded-md ring-1 ring-zinc-200">
              <header className="flex items-center gap-2 border-b border-zinc-100 bg-zinc-50 px-3 py-2">
                <span className="text-xs font-medium text-zinc-500">Response</span>
                {exchange.response ? (
                  <Badge tone={exchange.response.status < 300 ? "green" : exchange.response.status < 500 ? "amber" : "red"}>
                    <span data-testid="response-status">HTTP {exchange.response.status}</span>
                  </Badge>
                ) : (
                  <Badge tone="red">No response</Badge>
                )}
                <span className="ml-auto text-xs text-zinc-500 tabular-nums" data-testid="response-latency">
                  {Math.round(exchange.latencyMs)} ms
                </span>
              </header>
              {exchange.response ? (
                <Body text={exchange.response.body} testId="response-body" empty="(empty body)" />
              ) : (
                <p className="px-3 py-2 text-xs text-zinc-500">The request got no answer (a timeout or a refused connection).</p>
              )}
            </section>
          </div>
        ))
      )}
    </div>
  );
}

function Body({ text, testId, empty = "(no body)" }: { text: string; testId: string; empty?: string }) {
  const body = prettyBody(text);
  if (!body.text) return <p className="border-t border-zinc-100 px-3 py-2 text-xs text-zinc-400">{empty}</p>;
  return (
    <pre
      className="max-h-72 overflow-auto border-t border-zinc-100 bg-zinc-950 px-3 py-2 font-mono text-xs leading-5 text-zinc-100"
      data-testid={testId}
    >
      {body.text}
    </pre>
  );
}
