// `npm run db:deploy`: applies prisma/migrations to DATABASE_URL, or to the embedded PostgreSQL of
// `npm start` (under SLUICE_HOME, default .sluice/) when DATABASE_URL is unset. Bad input: one line, exit 1.
import { sluiceHome } from "../packages/db/src/home";
import { applyMigrations } from "../packages/db/src/migrate";
import { resolveDatabase } from "./start/resolve-database";
import { describeBadDatabaseUrl } from "./start/start-env";
import { StartupError } from "./start/startup-error";

const say = (line: string) => console.log(`› ${line}`);

async function main(): Promise<number> {
  const url = process.env.DATABASE_URL?.trim() || undefined;
  if (url) {
    const problem = describeBadDatabaseUrl(url);
    if (problem) throw new StartupError(problem);
  }
  // Only the embedded default needs the Sluice home (and creates it).
  const database = await resolveDatabase({ databaseUrl: url, home: url ? "" : sluiceHome(process.env), say });
  try {
    const { output } = await applyMigrations(database.url);
    say(
      /No pending migrations/i.test(output)
        ? "No pending migrations: the database is up to date"
        : "Applied the pending migrations",
    );
    return 0;
  } finally {
    await database.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(
      `✖ ${error instanceof StartupError ? error.message : `migrations failed: ${error instanceof Error ? error.message : String(error)}`}`,
    );
    process.exit(1);
  },
);
