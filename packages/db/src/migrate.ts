// Applies prisma/migrations with `prisma migrate deploy` (safe to run on every start: applied
// migrations are skipped, and Prisma takes an advisory lock so concurrent starts don't collide).
import { spawn } from "node:child_process";
import path from "node:path";
import { PROJECT_ROOT } from "./home";

export async function applyMigrations(databaseUrl: string): Promise<{ output: string }> {
  const cli = path.join(PROJECT_ROOT, "node_modules", "prisma", "build", "index.js");
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, "migrate", "deploy"], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, DATABASE_URL: databaseUrl, PRISMA_HIDE_UPDATE_MESSAGE: "1", CHECKPOINT_DISABLE: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (c) => (output += c));
    child.stderr.on("data", (c) => (output += c));
    child.on("error", reject);
    child.on("close", (code) => {
      if (code === 0) resolve({ output });
      else reject(new Error(`prisma migrate deploy failed (exit ${code}): ${output.trim().split("\n").slice(-5).join(" | ")}`));
    });
  });
}
