// The browser side of the live view, without React (useLiveRun wraps it): gets a token from the control
// plane, connects to the worker with socket.io-client, checks every message against the contracts' zod
// schemas, and keeps one immutable view of the sync's current run: status, counters, records/s, and its
// sampled events — which the user can freeze to read while counters keep moving.
// Tokens are short-lived: every (re)connection asks for a fresh one; the worker disconnects a socket when
// its token expires, and the store reconnects at once with a new token.
import {
  LIVE_SERVER_EVENTS,
  LiveJoinAckSchema,
  LiveRefusalDataSchema,
  type LiveRunEvent,
  type LiveRunState,
  type LiveRunStatus,
  type LiveServerEventName,
  type LiveSnapshot,
  type LiveTokenResponse,
  LiveTokenResponseSchema,
} from "@sluice/contracts/live";
import { io, type ManagerOptions, type Socket, type SocketOptions } from "socket.io-client";

export type LiveConnection = "idle" | "connecting" | "connected" | "reconnecting" | "error" | "closed";

export interface LiveRunView {
  connection: LiveConnection;
  /** Why the live view is not (or no longer) connected, in words for the user; null when all is well. */
  error: string | null;
  /** The sync's current run (the latest one); null until the first snapshot, or when the sync never ran. */
  run: LiveRunState | null;
  /** The current run's last status change seen live. */
  lastTransition: LiveRunStatus | null;
  /** Sampled events of the current run, oldest first, at most `maxEvents`. Fixed while frozen. */
  events: LiveRunEvent[];
  frozen: boolean;
  /** Events received while frozen; they join `events` on unfreeze. */
  heldEvents: number;
}

export interface LiveRunStore {
  getState(): LiveRunView;
  subscribe(listener: () => void): () => void;
  start(): void;
  stop(): void;
  /** Freezes (true) or releases (false) the event list; counters and status keep updating. */
  freeze(frozen: boolean): void;
  /** Asks the worker for a fresh snapshot (e.g. after pausing or cancelling a queued run from this page). */
  refresh(): void;
  /** After an error: a new token and a new connection. */
  reconnect(): void;
}

export type LiveConnect = (url: string, options: Partial<ManagerOptions & SocketOptions>) => Socket;

export interface LiveRunStoreOptions {
  syncId: string;
  /** The control plane's sync.liveToken for this sync. */
  getToken: () => Promise<unknown>;
  maxEvents?: number;
  /** socket.io-client's io(); tests may pass one with other defaults. */
  connect?: LiveConnect;
}

export const IDLE_LIVE_RUN_VIEW: LiveRunView = Object.freeze({
  connection: "idle",
  error: null,
  run: null,
  lastTransition: null,
  events: [],
  frozen: false,
  heldEvents: 0,
}) as LiveRunView;

const DEFAULT_MAX_EVENTS = 500;
/** Events of a run not (yet) current, kept in case it becomes current (its events can outrun its status). */
const MAX_EARLY_EVENTS = 50;
/** More server-side disconnects than this within a minute means something is wrong: stop and say so. */
const MAX_SERVER_DISCONNECTS_PER_MINUTE = 5;

export function createLiveRunStore(o: LiveRunStoreOptions): LiveRunStore {
  const maxEvents = o.maxEvents ?? DEFAULT_MAX_EVENTS;
  const connect = o.connect ?? io;
  let state: LiveRunView = IDLE_LIVE_RUN_VIEW;
  const listeners = new Set<() => void>();
  let socket: Socket | undefined;
  let held: LiveRunEvent[] = [];
  let early: LiveRunEvent[] = [];
  let prefetched: LiveTokenResponse | undefined;
  let tokenError: string | null = null;
  let expiredRetries = 0;
  let serverDisconnects: number[] = [];
  let generation = 0;

  function set(patch: Partial<LiveRunView>): void {
    state = { ...state, ...patch };
    for (const listener of listeners) listener();
  }

  async function fetchToken(): Promise<LiveTokenResponse> {
    return LiveTokenResponseSchema.parse(await o.getToken());
  }

  // ------------------------------------------------------------------------------------------- run state

  function applyRunState(next: LiveRunState): void {
    const current = state.run;
    if (current && current.runId === next.runId) {
      // Older than what we show (a snapshot read before the last progress): keep ours.
      if (next.at < current.at) return;
      const transition = state.lastTransition;
      const status = transition && transition.runId === next.runId && transition.at > next.at ? transition.to : next.status;
      set({ run: { ...next, status } });
      return;
    }
    switchRun(next.runId, { run: next, lastTransition: null });
  }

  function switchRun(runId: string, patch: Partial<LiveRunView>): void {
    if (state.frozen) {
      set(patch);
      return;
    }
    const events = mergeEvents(
      state.events.filter((e) => e.runId === runId),
      early.filter((e) => e.runId === runId),
    );
    early = early.filter((e) => e.runId !== runId);
    set({ ...patch, events });
  }

  function applyStatus(s: LiveRunStatus): void {
    const current = state.run;
    if (current && current.runId === s.runId) {
      set({ run: { ...current, status: s.to }, lastTransition: s });
      return;
    }
    // A new run: its counters follow in the next run:progress.
    const run: LiveRunState = {
      syncId: s.syncId,
      runId: s.runId,
      status: s.to,
      counts: { planned: 0, added: 0, changed: 0, removed: 0, delivered: 0, rejected: 0, failed: 0 },
      startedAt: null,
      finishedAt: null,
      error: null,
      recordsPerSecond: null,
      throttledMs: null,
      droppedEvents: 0,
      at: s.at,
    };
    switchRun(s.runId, { run, lastTransition: s });
  }

  function applySnapshot(snapshot: LiveSnapshot): void {
    if (snapshot.run) applyRunState(snapshot.run);
    addEvents(snapshot.events);
  }

  function addEvents(incoming: LiveRunEvent[]): void {
    if (incoming.length === 0) return;
    if (state.frozen) {
      held = mergeEvents(held, incoming);
      set({ heldEvents: held.length });
      return;
    }
    const runId = state.run?.runId;
    const mine = incoming.filter((e) => runId === undefined || e.runId === runId);
    const others = incoming.filter((e) => runId !== undefined && e.runId !== runId);
    if (others.length > 0) early = mergeEvents(early, others).slice(-MAX_EARLY_EVENTS);
    if (mine.length > 0) set({ events: mergeEvents(state.events, mine) });
  }

  /** Deduplicated on id, ordered by time, the newest `maxEvents`. */
  function mergeEvents(list: LiveRunEvent[], incoming: LiveRunEvent[]): LiveRunEvent[] {
    const seen = new Set(list.map((e) => e.id));
    const added = incoming.filter((e) => !seen.has(e.id) && seen.add(e.id));
    if (added.length === 0) return list;
    const merged = [...list, ...added].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
    return merged.length > maxEvents ? merged.slice(-maxEvents) : merged;
  }

  const handlers: { [K in LiveServerEventName]: (payload: never) => void } = {
    "run:snapshot": (p: LiveSnapshot) => applySnapshot(p),
    "run:progress": (p: LiveRunState) => applyRunState(p),
    "run:status": (p: LiveRunStatus) => applyStatus(p),
    "run:event": (p: LiveRunEvent) => addEvents([p]),
    // The disconnect that follows reconnects with a fresh token.
    "live:expired": () => {},
  };

  // ------------------------------------------------------------------------------------------ connection

  async function open(): Promise<void> {
    const mine = ++generation;
    set({ connection: "connecting", error: null });
    let token: LiveTokenResponse;
    try {
      token = await fetchToken();
    } catch (error) {
      if (mine === generation) set({ connection: "error", error: describeTokenError(error) });
      return;
    }
    if (mine !== generation) return;
    prefetched = token;
    const s = connect(token.url, {
      path: token.path,
      transports: ["websocket", "polling"],
      reconnectionDelay: 1_000,
      reconnectionDelayMax: 10_000,
      auth: (cb) => {
        const ready = prefetched;
        prefetched = undefined;
        tokenError = null;
        if (ready) return cb({ token: ready.token });
        fetchToken().then(
          (t) => cb({ token: t.token }),
          (error: unknown) => {
            tokenError = describeTokenError(error);
            cb({});
          },
        );
      },
    });
    socket = s;
    for (const name of Object.keys(LIVE_SERVER_EVENTS) as LiveServerEventName[]) {
      s.on(name as string, (payload: unknown) => {
        const parsed = LIVE_SERVER_EVENTS[name].safeParse(payload);
        if (parsed.success) (handlers[name] as (p: unknown) => void)(parsed.data);
      });
    }
    s.on("connect", () => {
      expiredRetries = 0;
      set({ connection: "connected", error: null });
    });
    s.on("connect_error", (error: Error & { data?: unknown }) => {
      if (s.active) {
        set({ connection: "reconnecting", error: tokenError ?? `Live view unreachable (${error.message}); retrying…` });
        return;
      }
      // Refused by the worker: it does not retry by itself.
      const refusal = LiveRefusalDataSchema.safeParse(error.data);
      if (refusal.success && refusal.data.code === "token_expired" && expiredRetries < 2) {
        expiredRetries++;
        s.connect();
        return;
      }
      set({ connection: "error", error: tokenError ?? error.message });
    });
    s.on("disconnect", (reason) => {
      if (reason === "io client disconnect") return;
      if (reason !== "io server disconnect") {
        set({ connection: "reconnecting" });
        return;
      }
      // The worker ends a socket whose token expired: reconnect with a new one, unless it keeps happening.
      const now = Date.now();
      serverDisconnects = [...serverDisconnects.filter((t) => now - t < 60_000), now];
      if (serverDisconnects.length > MAX_SERVER_DISCONNECTS_PER_MINUTE) {
        set({ connection: "error", error: "The live view keeps disconnecting; reload the page to try again." });
        return;
      }
      set({ connection: "reconnecting" });
      s.connect();
    });
  }

  function close(): void {
    generation++;
    socket?.removeAllListeners();
    socket?.disconnect();
    socket = undefined;
    prefetched = undefined;
  }

  return {
    getState: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    start() {
      if (socket || state.connection === "connecting") return;
      void open();
    },
    stop() {
      close();
      set({ connection: "closed" });
    },
    freeze(frozen) {
      if (frozen === state.frozen) return;
      if (frozen) {
        held = [];
        set({ frozen: true, heldEvents: 0 });
        return;
      }
      const pending = held;
      held = [];
      const runId = state.run?.runId;
      // Events of the run shown while frozen are replaced when the run changed meanwhile.
      const kept = state.events.filter((e) => runId === undefined || e.runId === runId);
      const arrivedEarly = early.filter((e) => e.runId === runId);
      early = early.filter((e) => e.runId !== runId);
      state = { ...state, frozen: false, heldEvents: 0, events: kept };
      addEvents([...pending, ...arrivedEarly]);
      set({});
    },
    refresh() {
      socket?.emit("live:join", { syncId: o.syncId }, (ack: unknown) => {
        const parsed = LiveJoinAckSchema.safeParse(ack);
        if (parsed.success && !parsed.data.ok) set({ error: parsed.data.error });
      });
    },
    reconnect() {
      close();
      serverDisconnects = [];
      expiredRetries = 0;
      void open();
    },
  };
}

function describeTokenError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return `Could not get a live-view token: ${message}`;
}
