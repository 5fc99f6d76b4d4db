import { generateEncryptionKey } from "@sluice/db/crypto";
import { describe, expect, it } from "vitest";
import { resolveWebEnv, webEnvSchema } from "./env-schema";

const GOOD = {
  DATABASE_URL: "postgresql://u:p@localhost:5432/sluice",
  SLUICE_ENCRYPTION_KEY: generateEncryptionKey(),
  SLUICE_AUTH_SECRET: "s".repeat(32),
};

const PREVIOUS_A = generateEncryptionKey();
const PREVIOUS_B = generateEncryptionKey();

describe("webEnvSchema", () => {
  it("fills defaults, treating empty strings as unset", () => {
    const env = resolveWebEnv(
      webEnvSchema.parse({
        ...GOOD,
        PORT: "3100",
        SLUICE_PUBLIC_URL: "",
        SLUICE_ENCRYPTION_KEY_PREVIOUS: `${PREVIOUS_A}, ${PREVIOUS_B}`,
      }),
    );
    expect(env.PORT).toBe(3100);
    expect(env.SLUICE_PUBLIC_URL).toBe("http://localhost:3100");
    expect(env.SLUICE_ENCRYPTION_KEY_PREVIOUS).toEqual([PREVIOUS_A, PREVIOUS_B]);
    expect(env.SLUICE_ALLOW_PRIVATE_DESTINATIONS).toBe(false);
  });

  it("names the variable and the fix when something is wrong", () => {
    const missing = webEnvSchema.safeParse({ ...GOOD, DATABASE_URL: undefined });
    expect(missing.error?.issues[0]?.message).toMatch(/DATABASE_URL is required/);
    const malformed = webEnvSchema.safeParse({ ...GOOD, DATABASE_URL: "mysql://x" });
    expect(malformed.error?.issues[0]?.message).toMatch(/must be a postgresql:\/\/ URL/);
    const shortKey = webEnvSchema.safeParse({ ...GOOD, SLUICE_ENCRYPTION_KEY: "x".repeat(44) });
    expect(shortKey.error?.issues[0]?.message).toMatch(/must be 32 bytes/);
    const badPrevious = webEnvSchema.safeParse({ ...GOOD, SLUICE_ENCRYPTION_KEY_PREVIOUS: "nope" });
    expect(badPrevious.error?.issues[0]?.message).toMatch(/SLUICE_ENCRYPTION_KEY_PREVIOUS must be 32 bytes/);
    const shortSecret = webEnvSchema.safeParse({ ...GOOD, SLUICE_AUTH_SECRET: "short" });
    expect(shortSecret.error?.issues[0]?.message).toMatch(/at least 32 characters/);
    const badPort = webEnvSchema.safeParse({ ...GOOD, PORT: "70000" });
    expect(badPort.success).toBe(false);
  });
});
