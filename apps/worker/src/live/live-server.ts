// The live view's socket.io server, on the worker's health/metrics HTTP server under LIVE_PATH.
// A browser connects with a token from the control plane (sync.liveToken); the token decides the one room
// (sync:<id>) the socket joins — nothing else can be joined. On connect (and on `live:join`) it gets a
// snapshot of the sync's latest run from the database plus the events this worker buffered for it; when
// this worker does not execute that run, the other workers are asked for theirs. With `databaseUrl`,
// @socket.io/postgres-adapter joins every worker over the control-plane Postgres (NOTIFY, and the
// socket_io_attachments table for large messages), so a run's events reach browsers on any worker.
import type http from "node:http";
import {
  LIVE_PATH,
  type LiveClientToServerEvents,
  LiveJoinSchema,
  type LiveRunEvent,
  LiveRunEventSchema,
  type LiveServerToClientEvents,
  type LiveTokenClaims,
  liveRoom,
} from "@sluice/contracts/live";
import type { Logger } from "@sluice/core/log";
import type { RunObserver } from "@sluice/core/runs/observer";
import type { Db } from "@sluice/db";
import { createAdapter } from "@socket.io/postgres-adapter";
import pg from "pg";
import { type ExtendedError, Server, type Socket } from "socket.io";
import { readLatestRunRow, toLiveRunState } from "./read-run-state";
import { createRunPublisher, type RunPublisher, type RunPublisherOptions } from "./run-publisher";
import { createLiveTokenVerifier } from "./verify-live-token";

interface InterServerEvents {
  /** Another worker asks for the events this one buffered for a run. */
  "live:recent": (runId: string, ack: (events: LiveRunEvent[]) => void) => void;
}
interface SocketData {
  claims: LiveTokenClaims;
}
export type LiveIo = Server<LiveClientToServerEvents, LiveServerToClientEvents, InterServerEvents, SocketData>;
type LiveSocket = Socket<LiveClientToServerEvents, LiveServerToClientEvents, InterServerEvents, SocketData>;

export interface LiveServerOptions {
  httpServer: http.Server;
  db: Db;
  log: Logger;
  /** SLUICE_ENCRYPTION_KEY: the token key is derived from it (never used raw). */
  encryptionKey: string;
  /** The control plane's public URL (SLUICE_PUBLIC_URL): browsers on this origin may connect. */
  allowedOrigin: string;
  /** The control-plane database: joins this worker with the others. Absent: this process only. */
  databaseUrl?: string;
  publisher?: Pick<RunPublisherOptions, "limits" | "progressIntervalMs">;
  /** Adapter heartbeat (how soon workers notice each other); tests shorten it. */
  heartbeatIntervalMs?: number;
}

export interface LiveServer {
  io: LiveIo;
  /** Give it to the run engine (the queue runner): it publishes what runs do. */
  observer: RunObserver;
  publisher: RunPublisher;
  /** Disconnects every browser, leaves the cluster and closes the HTTP server it is attached to. */
  close(): Promise<void>;
}

/** Messages from browsers are tiny (`live:join`); anything bigger is refused. */
const MAX_CLIENT_MESSAGE_BYTES = 16 * 1024;
/** Each `live:join` reads the database: a socket gets at most one snapshot this often. */
const MIN_JOIN_INTERVAL_MS = 500;
/** On close, emissions already queued (a run's last progress) get this long to go out. */
const CLOSE_FLUSH_MS = 1_000;

export async function startLiveServer(o: LiveServerOptions): Promise<LiveServer> {
  const log = o.log.child({ component: "live" });
  const verify = await createLiveTokenVerifier(o.encryptionKey);
  const pool = o.databaseUrl ? new pg.Pool({ connectionString: o.databaseUrl, max: 4 }) : undefined;
  pool?.on("error", (error) => log.warn({ err: error }, "live view: a database connection of the adapter failed"));

  const io: LiveIo = new Server(o.httpServer, {
    path: LIVE_PATH,
    serveClient: false,
    cors: { origin: new URL(o.allowedOrigin).origin, methods: ["GET", "POST"] },
    maxHttpBufferSize: MAX_CLIENT_MESSAGE_BYTES,
    ...(pool
      ? {
          adapter: createAdapter(pool, {
            errorHandler: (error) => log.warn({ err: error }, "live view: the Postgres adapter failed"),
            ...(o.heartbeatIntervalMs ? { heartbeatInterval: o.heartbeatIntervalMs } : {}),
          }),
        }
      : {}),
  });

  const publisher = createRunPublisher({
    db: o.db,
    log,
    emit: (syncId, event, payload) => {
      // socket.io's typed emit cannot follow a generic event name; the payload type is checked by LiveEmit.
      (io.to(liveRoom(syncId)).emit as (e: string, p: unknown) => boolean)(event, payload);
    },
    ...o.publisher,
  });

  io.on("live:recent", (runId, ack) => {
    if (typeof runId === "string" && typeof ack === "function") ack(publisher.recentEvents(runId));
  });

  io.use((socket, next) => {
    verify((socket.handshake.auth as { token?: unknown } | undefined)?.token).then(
      (check) => {
        if (check.ok) {
          socket.data.claims = check.claims;
          return next();
        }
        const error: ExtendedError = new Error(check.message);
        error.data = { code: check.code };
        next(error);
      },
      (error: unknown) => next(error instanceof Error ? error : new Error(String(error))),
    );
  });

  io.on("connection", (socket) => {
    const { claims } = socket.data;
    void socket.join(liveRoom(claims.syncId));
    void sendSnapshot(socket);
    const expiry = setTimeout(
      () => {
        socket.emit("live:expired", { at: new Date().toISOString() });
        socket.disconnect();
      },
      Math.max(0, claims.exp * 1000 - Date.now()),
    );
    socket.on("disconnect", () => clearTimeout(expiry));
    let lastJoin = 0;
    socket.on("live:join", (request, ack) => {
      const reply = typeof ack === "function" ? ack : () => {};
      const parsed = LiveJoinSchema.safeParse(request);
      if (!parsed.success || parsed.data.syncId !== claims.syncId) {
        reply({ ok: false, error: "live view: this token is for another sync; ask the control plane for a token for this one" });
        return;
      }
      if (Date.now() - lastJoin < MIN_JOIN_INTERVAL_MS) {
        reply({ ok: false, error: "live view: snapshot asked too often; try again in a moment" });
        return;
      }
      lastJoin = Date.now();
      reply({ ok: true });
      void sendSnapshot(socket);
    });
  });

  async function sendSnapshot(socket: LiveSocket): Promise<void> {
    const { claims } = socket.data;
    try {
      const row = await readLatestRunRow(o.db, { workspaceId: claims.workspaceId, syncId: claims.syncId });
      const events = row ? publisher.recentEvents(row.id) : [];
      const flow = row ? publisher.flow(row.id) : undefined;
      socket.emit("run:snapshot", { syncId: claims.syncId, run: row ? toLiveRunState(row, flow) : null, events });
      // Another worker executes (or executed) this run: its buffered events follow as run:event.
      if (row && !flow && pool) forwardPeerEvents(socket, row.id);
    } catch (error) {
      log.warn({ err: error, syncId: claims.syncId }, "live view: could not send the snapshot");
    }
  }

  function forwardPeerEvents(socket: LiveSocket, runId: string): void {
    io.serverSideEmit("live:recent", runId, (_error: Error | null, responses: LiveRunEvent[][]) => {
      // On timeout the answers that did arrive are still given.
      const events = responses.flat().filter((e) => LiveRunEventSchema.safeParse(e).success);
      events.sort((a, b) => a.at.localeCompare(b.at));
      if (socket.connected) for (const event of events) socket.emit("run:event", event);
    });
  }

  let closing: Promise<void> | undefined;
  return {
    io,
    observer: publisher.observer,
    publisher,
    close: () => {
      closing ??= (async () => {
        publisher.close();
        await Promise.race([publisher.idle(), new Promise((resolve) => setTimeout(resolve, CLOSE_FLUSH_MS).unref())]);
        await io.close();
        await pool?.end();
      })();
      return closing;
    },
  };
}
