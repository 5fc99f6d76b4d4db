"use client";
// React binding of the live view: `useLiveRun(workspace, syncId)` watches the sync's current run while the
// component is mounted (see live-run-store.ts for what the state means and how tokens are renewed).
import { useEffect, useMemo, useState, useSyncExternalStore } from "react";
import { useTRPCClient } from "@/trpc/react";
import { createLiveRunStore, IDLE_LIVE_RUN_VIEW, type LiveRunStore, type LiveRunView } from "./live-run-store";

export type { LiveConnection, LiveRunView } from "./live-run-store";

export interface UseLiveRunOptions {
  /** False: no connection (e.g. the tab is hidden). Default true. */
  enabled?: boolean;
  /** Events kept in the list (default 500). */
  maxEvents?: number;
}

export interface LiveRun extends LiveRunView {
  /** Freezes (true) or releases (false) the event list; counters and status keep updating. */
  freeze(frozen: boolean): void;
  /** Asks the worker for a fresh snapshot of the sync's latest run. */
  refresh(): void;
  /** After `connection: "error"`: a new token and a new connection. */
  reconnect(): void;
}

const noSubscription = () => () => {};
const idle = () => IDLE_LIVE_RUN_VIEW;

export function useLiveRun(workspace: string, syncId: string, options: UseLiveRunOptions = {}): LiveRun {
  const { enabled = true, maxEvents } = options;
  const client = useTRPCClient();
  const [store, setStore] = useState<LiveRunStore | null>(null);

  useEffect(() => {
    if (!enabled) return;
    const created = createLiveRunStore({
      syncId,
      maxEvents,
      getToken: () => client.sync.liveToken.mutate({ workspace, syncId }),
    });
    setStore(created);
    created.start();
    return () => {
      created.stop();
      setStore(null);
    };
  }, [client, workspace, syncId, enabled, maxEvents]);

  const view = useSyncExternalStore(store?.subscribe ?? noSubscription, store?.getState ?? idle, idle);
  return useMemo(
    () => ({
      ...view,
      freeze: (frozen: boolean) => store?.freeze(frozen),
      refresh: () => store?.refresh(),
      reconnect: () => store?.reconnect(),
    }),
    [view, store],
  );
}
