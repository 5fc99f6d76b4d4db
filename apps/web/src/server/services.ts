// One set of services (Prisma pool, keyring, logger) per server process, created on first use.
// Kept on globalThis so dev-mode module reloads don't open a new connection pool each time.
import "server-only";
import { createServices, type Services } from "@sluice/core/context";
import { env } from "@/env";

const holder = globalThis as unknown as { __sluiceServices?: Services };

export function services(): Services {
  holder.__sluiceServices ??= createServices({
    databaseUrl: env.DATABASE_URL,
    encryptionKey: env.SLUICE_ENCRYPTION_KEY,
    previousKeys: env.SLUICE_ENCRYPTION_KEY_PREVIOUS,
    logName: "web",
    allowPrivateDestinations: env.SLUICE_ALLOW_PRIVATE_DESTINATIONS,
  });
  return holder.__sluiceServices;
}
