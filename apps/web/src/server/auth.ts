// Accounts and sessions (better-auth): email + password, scrypt-hashed by better-auth, sessions in Postgres
// through the same Prisma client as everything else. Sign-up input is checked with the shared zod schema on the
// server too, so a request that skips the form's checks still saves nothing.
import "server-only";
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, SignUpInput } from "@sluice/contracts/auth";
import { betterAuth } from "better-auth";
import { prismaAdapter } from "better-auth/adapters/prisma";
import { APIError, createAuthMiddleware } from "better-auth/api";
import { nextCookies } from "better-auth/next-js";
import { headers } from "next/headers";
import { env } from "@/env";
import { fieldErrorsFromZod } from "@/lib/field-errors";
import { services } from "./services";

function buildAuth() {
  const { db } = services();
  return betterAuth({
    appName: "Sluice",
    secret: env.SLUICE_AUTH_SECRET,
    baseURL: env.SLUICE_PUBLIC_URL,
    database: prismaAdapter(db, { provider: "postgresql" }),
    emailAndPassword: {
      enabled: true,
      minPasswordLength: PASSWORD_MIN_LENGTH,
      maxPasswordLength: PASSWORD_MAX_LENGTH,
      autoSignIn: true,
    },
    session: { expiresIn: 60 * 60 * 24 * 14, updateAge: 60 * 60 * 24 },
    telemetry: { enabled: false },
    advanced: { useSecureCookies: env.SLUICE_PUBLIC_URL.startsWith("https://") },
    hooks: {
      before: createAuthMiddleware(async (ctx) => {
        if (ctx.path !== "/sign-up/email") return;
        const parsed = SignUpInput.safeParse(ctx.body);
        if (!parsed.success) {
          throw new APIError("BAD_REQUEST", {
            code: "VALIDATION_FAILED",
            message: "Please fix the highlighted fields.",
            fieldErrors: fieldErrorsFromZod(parsed.error),
          });
        }
      }),
    },
    plugins: [nextCookies()],
  });
}

export type Auth = ReturnType<typeof buildAuth>;

const holder = globalThis as unknown as { __sluiceAuth?: Auth };

export function auth(): Auth {
  holder.__sluiceAuth ??= buildAuth();
  return holder.__sluiceAuth;
}

/** The signed-in user for the current request (server components, route handlers), or null. */
export async function currentSession() {
  return auth().api.getSession({ headers: await headers() });
}
