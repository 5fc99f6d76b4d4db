import { describe, expect, it } from "vitest";
import { describeBadDatabaseUrl, parseStartEnv } from "./start-env";
import { StartupError } from "./startup-error";

const KEY = Buffer.alloc(32, 1).toString("base64");

function problem(env: Record<string, string>): string {
  try {
    parseStartEnv(env);
  } catch (error) {
    expect(error).toBeInstanceOf(StartupError);
    return (error as Error).message;
  }
  throw new Error("expected a StartupError");
}

describe("parseStartEnv", () => {
  it("applies defaults and treats empty values as unset", () => {
    const env = parseStartEnv({ DATABASE_URL: "", PORT: "", SLUICE_ENCRYPTION_KEY: " " });
    expect(env).toMatchObject({ PORT: 3000, SLUICE_WORKER_PORT: 3001 });
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.SLUICE_ENCRYPTION_KEY).toBeUndefined();
  });

  it("accepts good values", () => {
    const env = parseStartEnv({
      DATABASE_URL: "postgres://u:p@db.example.com:5432/sluice",
      SLUICE_ENCRYPTION_KEY: KEY,
      PORT: "8080",
      SLUICE_WORKER_PORT: "8081",
    });
    expect(env).toMatchObject({ PORT: 8080, SLUICE_WORKER_PORT: 8081, SLUICE_ENCRYPTION_KEY: KEY });
  });

  it.each([
    [
      { DATABASE_URL: "mysql://root@localhost/db" },
      /^DATABASE_URL must be a PostgreSQL URL .* — use postgresql:\/\/user:password@host/,
    ],
    [{ DATABASE_URL: "localhost:5432" }, /^DATABASE_URL .* — use postgresql:\/\//],
    [{ DATABASE_URL: "not a url" }, /^DATABASE_URL is not a valid URL — use postgresql:\/\//],
    [{ DATABASE_URL: "postgresql:///sluice" }, /^DATABASE_URL has no host — /],
    [{ SLUICE_DEMO_DATABASE_URL: "http://x" }, /^SLUICE_DEMO_DATABASE_URL must be a PostgreSQL URL/],
    [{ SLUICE_ENCRYPTION_KEY: "too-short" }, /^SLUICE_ENCRYPTION_KEY must be 32 bytes.*randomBytes\(32\)/],
    [{ SLUICE_ENCRYPTION_KEY: "ab".repeat(31) }, /^SLUICE_ENCRYPTION_KEY must be 32 bytes/],
    [{ SLUICE_ENCRYPTION_KEY_PREVIOUS: `${KEY},nope` }, /^SLUICE_ENCRYPTION_KEY_PREVIOUS must be 32 bytes/],
    [{ SLUICE_AUTH_SECRET: "short" }, /^SLUICE_AUTH_SECRET must be at least 32 characters — make one with/],
    [{ PORT: "http" }, /^PORT must be a port number between 1 and 65535 \(got "http"\) — e.g. PORT=3005 npm start$/],
    [{ PORT: "70000" }, /^PORT must be a port number/],
    [{ SLUICE_WORKER_PORT: "-1" }, /^SLUICE_WORKER_PORT must be a port number .* SLUICE_WORKER_PORT=3006 npm start$/],
    [
      { PORT: "4000", SLUICE_WORKER_PORT: "4000" },
      /^PORT and SLUICE_WORKER_PORT are both 4000 — .*SLUICE_WORKER_PORT=4001 npm start$/,
    ],
    [{ LOG_LEVEL: "loud" }, /^LOG_LEVEL must be one of/],
  ])("rejects %j with one line saying what is wrong and how to fix it", (env, expected) => {
    const message = problem(env);
    expect(message).toMatch(expected);
    expect(message).not.toContain("\n");
  });

  it("never echoes a password from a malformed URL", () => {
    expect(problem({ DATABASE_URL: "mysql://root:hunter2@localhost/db" })).not.toContain("hunter2");
    expect(describeBadDatabaseUrl("postgresql://u:hunter2@")).toBeDefined();
  });
});
