// Signing in to Salesforce: the OAuth 2.0 JWT bearer flow (an RS256-signed assertion, iss = consumer key,
// sub = username, aud = login.salesforce.com or test.salesforce.com, exp within 3 minutes) or the
// username-password flow, both POSTed to {loginUrl}/services/oauth2/token. The answer's access_token and
// instance_url address every later call. Token errors become FatalDestinationError with what to fix;
// an unreachable token endpoint is retried, then left as a plain error (the run is retried later).
import { createPrivateKey, type KeyObject } from "node:crypto";
import { SignJWT } from "jose";
import { z } from "zod";
import { FatalDestinationError } from "../../kit/delivery";
import { describeHttpError, findPrivateAddressError, httpRequest } from "../../kit/http";
import { DEFAULT_RETRY_POLICY, type RetryPolicy, withRetry } from "../../kit/retry";
import { jwtAudienceFor, type SalesforceConfig } from "./config";

export const JWT_BEARER_GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer";
/** Salesforce accepts an assertion whose exp is at most 3 minutes ahead. */
const ASSERTION_LIFETIME_S = 180;

export interface SessionToken {
  accessToken: string;
  /** Base URL of the org's instance, e.g. https://acme.my.salesforce.com (no trailing slash). */
  instanceUrl: string;
}

export interface CallOptions {
  allowPrivate: boolean;
  signal?: AbortSignal;
  retry?: RetryPolicy;
  timeouts?: { connectMs?: number; responseMs?: number };
}

const TokenResponse = z.object({ access_token: z.string().min(1), instance_url: z.url() });
const TokenError = z.object({ error: z.string(), error_description: z.string().optional() });

/** Gets an access token with the configured flow. Never puts a secret into an error message. */
export async function login(config: SalesforceConfig, o: CallOptions): Promise<SessionToken> {
  const body =
    config.authFlow === "jwt"
      ? new URLSearchParams({ grant_type: JWT_BEARER_GRANT, assertion: await signAssertion(config) })
      : new URLSearchParams({
          grant_type: "password",
          client_id: config.consumerKey,
          client_secret: config.clientSecret ?? "",
          username: config.username,
          password: config.password ?? "",
        });
  const url = `${config.loginUrl.replace(/\/$/, "")}/services/oauth2/token`;
  const timeouts = {
    ...(o.timeouts?.connectMs ? { connectTimeoutMs: o.timeouts.connectMs } : {}),
    ...(o.timeouts?.responseMs ? { responseTimeoutMs: o.timeouts.responseMs } : {}),
  };
  const result = await withRetry<SessionToken>(
    o.retry ?? DEFAULT_RETRY_POLICY,
    async () => {
      let response: Awaited<ReturnType<typeof httpRequest>>;
      try {
        response = await httpRequest({
          method: "POST",
          url,
          headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
          body: body.toString(),
          allowPrivate: o.allowPrivate,
          ...timeouts,
          ...(o.signal ? { signal: o.signal } : {}),
        });
      } catch (error) {
        const refused = findPrivateAddressError(error);
        if (refused) throw new FatalDestinationError(`the Salesforce login URL is not allowed: ${refused.message}`);
        if (o.signal?.aborted) throw error;
        return { kind: "retry", reason: `the Salesforce token endpoint could not be reached: ${describeHttpError(error)}` };
      }
      if (response.status >= 500 || response.status === 429) {
        return { kind: "retry", reason: `the Salesforce token endpoint answered HTTP ${response.status}` };
      }
      const json = parseJson(response.body);
      if (response.status === 200) {
        const token = TokenResponse.safeParse(json);
        if (!token.success) throw new FatalDestinationError("Salesforce's token response had no access_token/instance_url");
        return { kind: "done", value: toSession(config, token.data) };
      }
      if (response.status >= 300 && response.status < 400) {
        throw new FatalDestinationError(
          `the login URL ${config.loginUrl} redirects (HTTP ${response.status}); use https://login.salesforce.com, https://test.salesforce.com or your My Domain URL`,
        );
      }
      const error = TokenError.safeParse(json);
      throw new FatalDestinationError(
        error.success
          ? explainTokenError(config, error.data.error, error.data.error_description ?? "")
          : `Salesforce refused the sign-in (HTTP ${response.status}); check loginUrl ${config.loginUrl}`,
      );
    },
    o.signal,
  );
  if (result.kind === "exhausted") throw new Error(result.reason);
  return result.value;
}

/** The assertion of the JWT bearer flow, signed with the connected app's private key. */
export async function signAssertion(config: SalesforceConfig, now: number = Date.now()): Promise<string> {
  const seconds = Math.floor(now / 1000);
  return new SignJWT({})
    .setProtectedHeader({ alg: "RS256" })
    .setIssuer(config.consumerKey)
    .setSubject(config.username)
    .setAudience(jwtAudienceFor(config))
    .setExpirationTime(seconds + ASSERTION_LIFETIME_S)
    .sign(privateKeyOf(config));
}

function privateKeyOf(config: SalesforceConfig): KeyObject {
  // Keys pasted through env files often arrive with literal "\n"; PKCS#1 and PKCS#8 PEM both work.
  const pem = (config.privateKey ?? "").replace(/\\n/g, "\n").trim();
  try {
    const key = createPrivateKey(pem);
    if (key.asymmetricKeyType !== "rsa") throw new Error("not RSA");
    return key;
  } catch {
    throw new FatalDestinationError(
      "privateKey is not an unencrypted RSA private key in PEM form (-----BEGIN PRIVATE KEY----- or -----BEGIN RSA PRIVATE KEY-----)",
    );
  }
}

function toSession(config: SalesforceConfig, token: z.infer<typeof TokenResponse>): SessionToken {
  const instance = new URL(token.instance_url);
  // The token is sent to instance_url next: never downgrade from the https login URL to plain http.
  if (new URL(config.loginUrl).protocol === "https:" && instance.protocol !== "https:") {
    throw new FatalDestinationError(`Salesforce returned a non-https instance_url (${instance.origin}); refusing to use it`);
  }
  return { accessToken: token.access_token, instanceUrl: instance.origin };
}

/** An OAuth error of the token endpoint, with what to fix. */
export function explainTokenError(config: SalesforceConfig, error: string, description: string): string {
  const said = `Salesforce refused the sign-in (${error}${description ? `: ${description}` : ""})`;
  const d = description.toLowerCase();
  if (d.includes("hasn't approved") || d.includes("has not approved")) {
    return `${said}. Pre-authorize the connected app for ${config.username}: in Setup → Connected Apps → Manage → Edit Policies set "Permitted Users" to "Admin approved users are pre-authorized", then add the user's profile or a permission set to the app.`;
  }
  if (d.includes("audience")) {
    return `${said}. The JWT aud must be https://login.salesforce.com for production orgs or https://test.salesforce.com for sandboxes: set loginUrl or jwtAudience accordingly.`;
  }
  if (error === "invalid_client_id" || d.includes("client identifier invalid")) {
    return `${said}. Check consumerKey: copy the connected app's Consumer Key (Setup → App Manager → View → Manage Consumer Details); a new app can take a few minutes to be usable.`;
  }
  if (error === "invalid_client" || d.includes("client credentials") || d.includes("client secret")) {
    return `${said}. Check clientSecret: copy the connected app's Consumer Secret again (it changes when rotated).`;
  }
  if (d.includes("user is locked") || d.includes("inactive")) {
    return `${said}. Unlock or reactivate ${config.username} in Setup → Users.`;
  }
  if (config.authFlow === "password" && (d.includes("authentication failure") || d.includes("password"))) {
    return `${said}. Check username and password: the password must be followed by the user's current security token (reset it from the user's settings), unless the server's IP is in the org's trusted ranges.`;
  }
  if (config.authFlow === "jwt" && (d.includes("assertion") || d.includes("signature") || d.includes("expired"))) {
    return `${said}. Check that privateKey matches the certificate uploaded to the connected app ("Use digital signatures") and that this server's clock is correct.`;
  }
  if (d.includes("user") || d.includes("username")) {
    return `${said}. Check username (${config.username}) and that the user belongs to the org behind ${config.loginUrl}.`;
  }
  return `${said}. Check the destination's sign-in settings.`;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * The access token of one deliver() call. A session can end under a running batch (admin revoked it, the
 * session timeout passed): the first "INVALID_SESSION_ID" renews it once; a second one is fatal, because
 * a fresh token being refused means the user or app has lost access rather than that a session expired.
 */
export class SalesforceSession {
  private renewed = false;
  private pending: Promise<SessionToken> | undefined;

  private constructor(
    private readonly signIn: () => Promise<SessionToken>,
    public current: SessionToken,
  ) {}

  static async start(config: SalesforceConfig, o: CallOptions): Promise<SalesforceSession> {
    const signIn = () => login(config, o);
    return new SalesforceSession(signIn, await signIn());
  }

  /** Whether the one renewal has been used. */
  get hasRenewed(): boolean {
    return this.renewed;
  }

  /** A new token after `stale` was refused; callers that raced on the same stale token share one renewal. */
  async renew(stale: string): Promise<SessionToken> {
    if (this.current.accessToken !== stale) return this.current;
    if (this.pending) return this.pending;
    if (this.renewed) {
      throw new FatalDestinationError(
        "Salesforce refused a freshly issued session (INVALID_SESSION_ID twice in one batch); check that the user is active, has API Enabled, and that the connected app's session policies allow API access",
      );
    }
    this.renewed = true;
    this.pending = this.signIn()
      .then((token) => {
        this.current = token;
        return token;
      })
      .finally(() => {
        this.pending = undefined;
      });
    return this.pending;
  }
}
