// Structured JSON logs (pino). Secrets never reach a log line: known secret-bearing keys are redacted
// wherever they appear (two levels deep), and connection strings have their password masked.
import pino, { type Logger } from "pino";

export type { Logger };

/** Keys whose values are secret wherever they appear in a logged object. */
export const SECRET_KEYS = [
  "password",
  "secret",
  "secrets",
  "token",
  "accessToken",
  "refreshToken",
  "apiKey",
  "key",
  "authorization",
  "cookie",
  "connectionString",
  "databaseUrl",
  "encryptedSecrets",
  "signingSecret",
  "privateKey",
  "clientSecret",
];

const REDACT_PATHS = SECRET_KEYS.flatMap((k) => [k, `*.${k}`, `*.*.${k}`, `headers.${k}`, `req.headers.${k}`]);

export function createLogger(name: string, options: { level?: string } = {}): Logger {
  return pino({
    name,
    level: options.level ?? process.env.LOG_LEVEL ?? "info",
    redact: { paths: REDACT_PATHS, censor: "[redacted]" },
    base: { service: name },
    timestamp: pino.stdTimeFunctions.isoTime,
  });
}

/** `postgresql://user:pw@host/db` → `postgresql://user:***@host/db`, for messages that must name a URL. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "[unparseable url]";
  }
}
