// The live view's wire format (DESIGN.md "Live view"): the token the control plane issues and the worker
// checks, and every socket.io event between the worker and the browser. Server and client parse with these
// same schemas, so they cannot drift. Browser-safe: no node: imports (the key derivation uses WebCrypto).
import { z } from "zod";
import { RunCountsSchema, RunStatusSchema } from "./run-view";

/** socket.io's HTTP path on the worker's health/metrics port. */
export const LIVE_PATH = "/live";
/** The room a sync's events go to; a socket joins only the one its token names. */
export const liveRoom = (syncId: string) => `sync:${syncId}`;

// ---------------------------------------------------------------------------------------------- token

export const LIVE_TOKEN_ISSUER = "sluice-web";
export const LIVE_TOKEN_AUDIENCE = "sluice-live";
/** Tokens live this long; the worker refuses any whose lifetime is longer, and disconnects at expiry. */
export const LIVE_TOKEN_TTL_SECONDS = 300;
/** HKDF `info`: the signing key is derived from SLUICE_ENCRYPTION_KEY for this use only. */
export const LIVE_TOKEN_KEY_INFO = "sluice/live-view-token/HS256/v1";

const Id = z.string().min(1);

/** The JWT's claims (HS256). `sub` is the user the token was issued to. */
export const LiveTokenClaimsSchema = z.object({
  iss: z.literal(LIVE_TOKEN_ISSUER),
  aud: z.literal(LIVE_TOKEN_AUDIENCE),
  sub: Id,
  workspaceId: Id,
  syncId: Id,
  iat: z.number().int(),
  exp: z.number().int(),
});
export type LiveTokenClaims = z.infer<typeof LiveTokenClaimsSchema>;

/** What `sync.liveToken` answers: the token and where the browser connects with it. */
export const LiveTokenResponseSchema = z.object({
  token: z.string().min(1),
  /** The worker's public origin (SLUICE_WORKER_PUBLIC_URL). */
  url: z.url(),
  path: z.literal(LIVE_PATH),
  expiresAt: z.iso.datetime({ offset: true }),
});
export type LiveTokenResponse = z.infer<typeof LiveTokenResponseSchema>;

/**
 * The 32-byte HS256 key for live tokens: HKDF-SHA256 of the raw encryption key with its own `info`,
 * so the token key never equals (nor reveals) the key that seals credentials.
 */
export async function deriveLiveTokenKey(encryptionKey: Uint8Array): Promise<Uint8Array> {
  const base = await globalThis.crypto.subtle.importKey("raw", new Uint8Array(encryptionKey), "HKDF", false, ["deriveBits"]);
  const bits = await globalThis.crypto.subtle.deriveBits(
    { name: "HKDF", hash: "SHA-256", salt: new Uint8Array(0), info: new TextEncoder().encode(LIVE_TOKEN_KEY_INFO) },
    base,
    256,
  );
  return new Uint8Array(bits);
}

/** Why a connection was refused: the connect_error's `data.code` (its `message` says what to do). */
export const LiveRefusalCodeSchema = z.enum(["token_missing", "token_invalid", "token_expired"]);
export type LiveRefusalCode = z.infer<typeof LiveRefusalCodeSchema>;
export const LiveRefusalDataSchema = z.object({ code: LiveRefusalCodeSchema });

// ----------------------------------------------------------------------------------------- server → client

const Timestamp = z.iso.datetime({ offset: true });

/** A run as the live view shows it: status, counters from the database, and this moment's flow. */
export const LiveRunStateSchema = z.object({
  syncId: Id,
  runId: Id,
  status: RunStatusSchema,
  /** From the run's row: planned (= added + changed + removed), delivered, rejected, failed… */
  counts: RunCountsSchema,
  startedAt: Timestamp.nullable(),
  finishedAt: Timestamp.nullable(),
  /** The run's error when it failed. */
  error: z.string().nullable(),
  /** Records handled per second over the last few seconds; null when no worker reported it yet. */
  recordsPerSecond: z.number().nonnegative().nullable(),
  /** Time this run spent waiting on rate limits and back pressure so far (on the reporting worker). */
  throttledMs: z.number().nonnegative().nullable(),
  /** Sampled events not sent because the run exceeded the live view's event rate. */
  droppedEvents: z.number().int().nonnegative(),
  /** When the state was read. */
  at: Timestamp,
});
export type LiveRunState = z.infer<typeof LiveRunStateSchema>;

/** One sampled record of a batch: what was sent and what came back (secrets masked by the driver). */
export const LiveRunEventSchema = z.object({
  /** Unique per event; a snapshot's events and live ones may overlap, so clients deduplicate on it. */
  id: Id,
  syncId: Id,
  runId: Id,
  at: Timestamp,
  key: z.record(z.string(), z.unknown()),
  payload: z.unknown(),
  response: z.unknown(),
  outcome: z.enum(["delivered", "rejected", "failed"]),
  latencyMs: z.number().nonnegative(),
});
export type LiveRunEvent = z.infer<typeof LiveRunEventSchema>;

export const LiveRunStatusSchema = z.object({
  syncId: Id,
  runId: Id,
  from: RunStatusSchema.nullable(),
  to: RunStatusSchema,
  at: Timestamp,
});
export type LiveRunStatus = z.infer<typeof LiveRunStatusSchema>;

/** Sent on connect and on `live:join`: the sync's latest run (null when it never ran) and recent events. */
export const LiveSnapshotSchema = z.object({
  syncId: Id,
  run: LiveRunStateSchema.nullable(),
  /** Oldest first; at most the worker's buffer (about 200) of the latest run. */
  events: z.array(LiveRunEventSchema),
});
export type LiveSnapshot = z.infer<typeof LiveSnapshotSchema>;

/** Every event the worker sends, with its payload schema. */
export const LIVE_SERVER_EVENTS = {
  "run:snapshot": LiveSnapshotSchema,
  "run:progress": LiveRunStateSchema,
  "run:status": LiveRunStatusSchema,
  "run:event": LiveRunEventSchema,
  /** The token is about to expire: the server disconnects; reconnect with a fresh token. */
  "live:expired": z.object({ at: Timestamp }),
} as const;
export type LiveServerEventName = keyof typeof LIVE_SERVER_EVENTS;
export type LiveServerToClientEvents = {
  [K in LiveServerEventName]: (payload: z.infer<(typeof LIVE_SERVER_EVENTS)[K]>) => void;
};

// ----------------------------------------------------------------------------------------- client → server

export const LiveJoinSchema = z.object({ syncId: Id });
export type LiveJoin = z.infer<typeof LiveJoinSchema>;
export const LiveJoinAckSchema = z.union([
  z.object({ ok: z.literal(true) }),
  z.object({ ok: z.literal(false), error: z.string() }),
]);
export type LiveJoinAck = z.infer<typeof LiveJoinAckSchema>;

export interface LiveClientToServerEvents {
  /** Asks for a fresh snapshot. Only the sync the token names is accepted; any other is refused. */
  "live:join": (request: LiveJoin, ack: (result: LiveJoinAck) => void) => void;
}
