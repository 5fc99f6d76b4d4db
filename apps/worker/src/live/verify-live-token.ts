// Checks a live-view token (issued by the control plane's sync.liveToken): HS256 with the key both
// processes derive from SLUICE_ENCRYPTION_KEY, our issuer and audience, not expired, and no longer-lived
// than LIVE_TOKEN_TTL_SECONDS — a token signed for longer is refused even with a good signature.
import {
  deriveLiveTokenKey,
  LIVE_TOKEN_AUDIENCE,
  LIVE_TOKEN_ISSUER,
  LIVE_TOKEN_TTL_SECONDS,
  type LiveRefusalCode,
  type LiveTokenClaims,
  LiveTokenClaimsSchema,
} from "@sluice/contracts/live";
import { parseEncryptionKey } from "@sluice/db/crypto";
import { errors, jwtVerify } from "jose";

/** Tolerated clock difference between the web and worker machines. */
const CLOCK_TOLERANCE_SECONDS = 5;

export type LiveTokenCheck = { ok: true; claims: LiveTokenClaims } | { ok: false; code: LiveRefusalCode; message: string };

export type LiveTokenVerifier = (token: unknown) => Promise<LiveTokenCheck>;

export async function createLiveTokenVerifier(encryptionKey: string): Promise<LiveTokenVerifier> {
  const key = await deriveLiveTokenKey(parseEncryptionKey(encryptionKey).key);
  return async (token) => {
    if (typeof token !== "string" || token === "") {
      return refuse(
        "token_missing",
        "live view: no token — ask the control plane for one (sync.liveToken) and pass it as auth.token",
      );
    }
    let payload: unknown;
    try {
      ({ payload } = await jwtVerify(token, key, {
        algorithms: ["HS256"],
        issuer: LIVE_TOKEN_ISSUER,
        audience: LIVE_TOKEN_AUDIENCE,
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        requiredClaims: ["exp", "iat", "sub"],
      }));
    } catch (error) {
      if (error instanceof errors.JWTExpired) {
        return refuse("token_expired", "live view: the token expired — ask the control plane for a new one and reconnect");
      }
      return refuse("token_invalid", "live view: the token is not valid (bad signature, issuer or audience) — ask for a new one");
    }
    const claims = LiveTokenClaimsSchema.safeParse(payload);
    if (!claims.success) return refuse("token_invalid", "live view: the token does not name a workspace and a sync");
    if (claims.data.exp - claims.data.iat > LIVE_TOKEN_TTL_SECONDS) {
      return refuse("token_invalid", `live view: the token lives longer than ${LIVE_TOKEN_TTL_SECONDS} s; ask for a new one`);
    }
    return { ok: true, claims: claims.data };
  };
}

function refuse(code: LiveRefusalCode, message: string): LiveTokenCheck {
  return { ok: false, code, message };
}
