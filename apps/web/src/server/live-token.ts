// Live-view tokens (DESIGN.md "Live view"): a browser that may read a sync gets a short-lived JWT naming
// the workspace, the sync and the user, and the worker URL to connect to. The worker checks it with the
// same key, derived from SLUICE_ENCRYPTION_KEY by HKDF with the live-view label (never the raw key).
import "server-only";
import {
  deriveLiveTokenKey,
  LIVE_PATH,
  LIVE_TOKEN_AUDIENCE,
  LIVE_TOKEN_ISSUER,
  LIVE_TOKEN_TTL_SECONDS,
  type LiveTokenResponse,
} from "@sluice/contracts/live";
import type { WorkspaceContext } from "@sluice/core/context";
import { getSync } from "@sluice/core/syncs/list-syncs";
import { parseEncryptionKey } from "@sluice/db/crypto";
import { SignJWT } from "jose";
import { env } from "@/env";

export interface LiveTokenSettings {
  /** SLUICE_ENCRYPTION_KEY. */
  encryptionKey: string;
  /** SLUICE_WORKER_PUBLIC_URL. */
  workerUrl: string;
  ttlSeconds?: number;
  now?: () => Date;
}

const derivedKeys = new Map<string, Promise<Uint8Array>>();

function signingKey(encryptionKey: string): Promise<Uint8Array> {
  let key = derivedKeys.get(encryptionKey);
  if (!key) {
    key = deriveLiveTokenKey(parseEncryptionKey(encryptionKey).key);
    derivedKeys.set(encryptionKey, key);
  }
  return key;
}

function defaultSettings(): LiveTokenSettings {
  return { encryptionKey: env.SLUICE_ENCRYPTION_KEY, workerUrl: env.SLUICE_WORKER_PUBLIC_URL };
}

/** Anyone who may read the sync gets a token; another workspace's sync (or none) is NOT_FOUND. */
export async function issueLiveToken(
  ctx: WorkspaceContext,
  input: { syncId: string },
  settings: LiveTokenSettings = defaultSettings(),
): Promise<LiveTokenResponse> {
  const sync = await getSync(ctx, { id: input.syncId });
  const ttl = Math.min(settings.ttlSeconds ?? LIVE_TOKEN_TTL_SECONDS, LIVE_TOKEN_TTL_SECONDS);
  const iat = Math.floor((settings.now?.() ?? new Date()).getTime() / 1000);
  const exp = iat + ttl;
  const subject =
    ctx.actor.type === "user" ? ctx.actor.userId : ctx.actor.type === "apiKey" ? `apiKey:${ctx.actor.apiKeyId}` : "system";
  const token = await new SignJWT({ workspaceId: ctx.workspaceId, syncId: sync.id })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setIssuer(LIVE_TOKEN_ISSUER)
    .setAudience(LIVE_TOKEN_AUDIENCE)
    .setSubject(subject)
    .setIssuedAt(iat)
    .setExpirationTime(exp)
    .sign(await signingKey(settings.encryptionKey));
  return { token, url: settings.workerUrl, path: LIVE_PATH, expiresAt: new Date(exp * 1000).toISOString() };
}
