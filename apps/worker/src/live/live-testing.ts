// Test-only helpers for the live view: a live server on its own HTTP server, tokens signed the way the
// control plane signs them (or deliberately not), and socket.io-client sockets that wait for events.
import http from "node:http";
import type { AddressInfo } from "node:net";
import {
  deriveLiveTokenKey,
  LIVE_PATH,
  LIVE_TOKEN_AUDIENCE,
  LIVE_TOKEN_ISSUER,
  type LiveClientToServerEvents,
  type LiveServerEventName,
  type LiveServerToClientEvents,
} from "@sluice/contracts/live";
import type { Logger } from "@sluice/core/log";
import type { Db } from "@sluice/db";
import { generateEncryptionKey, parseEncryptionKey } from "@sluice/db/crypto";
import { SignJWT } from "jose";
import pino from "pino";
import { io, type Socket } from "socket.io-client";
import { type LiveServer, type LiveServerOptions, startLiveServer } from "./live-server";
import type { LivePayload } from "./run-publisher";

export type LiveClient = Socket<LiveServerToClientEvents, LiveClientToServerEvents>;

export const TEST_ENCRYPTION_KEY = generateEncryptionKey();
const silent: Logger = pino({ level: "silent" });

export interface TestLiveServer {
  url: string;
  live: LiveServer;
  close(): Promise<void>;
}

export async function startTestLiveServer(
  o: { db: Db; log?: Logger } & Partial<Omit<LiveServerOptions, "httpServer" | "db" | "log">>,
): Promise<TestLiveServer> {
  const server = http.createServer((_req, res) => res.writeHead(404).end());
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const live = await startLiveServer({
    encryptionKey: TEST_ENCRYPTION_KEY,
    allowedOrigin: "http://localhost:3000",
    ...o,
    httpServer: server,
    log: o.log ?? silent,
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, live, close: () => live.close() };
}

/** A token as sync.liveToken issues it; every field can be bent to make a bad one. */
export async function signLiveToken(o: {
  workspaceId: string;
  syncId: string;
  sub?: string;
  encryptionKey?: string;
  /** Seconds from now. */
  expiresIn?: number;
  issuedAgo?: number;
  audience?: string;
  rawKey?: boolean;
}): Promise<string> {
  const raw = parseEncryptionKey(o.encryptionKey ?? TEST_ENCRYPTION_KEY).key;
  const key = o.rawKey ? new Uint8Array(raw) : await deriveLiveTokenKey(raw);
  const now = Math.floor(Date.now() / 1000);
  const iat = now - (o.issuedAgo ?? 0);
  return new SignJWT({ workspaceId: o.workspaceId, syncId: o.syncId })
    .setProtectedHeader({ alg: "HS256" })
    .setIssuer(LIVE_TOKEN_ISSUER)
    .setAudience(o.audience ?? LIVE_TOKEN_AUDIENCE)
    .setSubject(o.sub ?? "user-1")
    .setIssuedAt(iat)
    .setExpirationTime(now + (o.expiresIn ?? 120))
    .sign(key);
}

/** A socket that records everything it receives from the moment it is created. */
export interface RecordingClient {
  socket: LiveClient;
  received: { event: LiveServerEventName; payload: unknown }[];
  of<E extends LiveServerEventName>(event: E): LivePayload<E>[];
  waitFor<E extends LiveServerEventName>(
    event: E,
    match?: (p: LivePayload<E>) => boolean,
    timeoutMs?: number,
  ): Promise<LivePayload<E>>;
  close(): void;
}

const EVENTS: LiveServerEventName[] = ["run:snapshot", "run:progress", "run:status", "run:event", "live:expired"];

export function connectClient(url: string, token: string | undefined): RecordingClient {
  const socket: LiveClient = io(url, {
    path: LIVE_PATH,
    transports: ["websocket"],
    reconnection: false,
    forceNew: true,
    auth: token === undefined ? {} : { token },
  });
  const received: RecordingClient["received"] = [];
  const waiters = new Set<() => void>();
  for (const event of EVENTS) {
    socket.on(event, (payload: unknown) => {
      received.push({ event, payload });
      for (const w of waiters) w();
    });
  }
  const of = <E extends LiveServerEventName>(event: E) =>
    received.filter((r) => r.event === event).map((r) => r.payload as LivePayload<E>);
  return {
    socket,
    received,
    of,
    waitFor: (event, match = () => true, timeoutMs = 10_000) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const hit = of(event).find(match);
          if (hit === undefined) return false;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(hit);
          return true;
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no ${event} matching within ${timeoutMs} ms; got ${JSON.stringify(received.map((r) => r.event))}`));
        }, timeoutMs);
        if (!check()) waiters.add(check);
      }),
    close: () => {
      socket.removeAllListeners();
      socket.disconnect();
    },
  };
}

/** Resolves on connect; rejects with the connect_error (its message and data) otherwise. */
export function connected(socket: LiveClient): Promise<void> {
  return new Promise((resolve, reject) => {
    if (socket.connected) return resolve();
    socket.once("connect", () => resolve());
    socket.once("connect_error", (error) => reject(error));
  });
}

/** The connect_error a refused socket gets. */
export function refusal(socket: LiveClient): Promise<Error & { data?: { code?: string } }> {
  return new Promise((resolve, reject) => {
    socket.once("connect", () => reject(new Error("connected, but a refusal was expected")));
    socket.once("connect_error", (error) => resolve(error as Error & { data?: { code?: string } }));
  });
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
