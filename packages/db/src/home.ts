// Where the zero-setup default keeps its state: `.sluice/` in the project (git-ignored), or SLUICE_HOME.
import { chmodSync, mkdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root: packages/db/src is three levels below it. */
export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");

export function sluiceHome(env: NodeJS.ProcessEnv = process.env): string {
  const home = env.SLUICE_HOME ? path.resolve(env.SLUICE_HOME) : path.join(PROJECT_ROOT, ".sluice");
  // 0711: the embedded server runs as `postgres` (when we are root) and must traverse into its data directory.
  mkdirSync(home, { recursive: true, mode: 0o711 });
  chmodSync(home, 0o711);
  return home;
}
