// Parses the worker's environment once; `process.env` is read nowhere else in the worker.
// A bad environment stops the process with one line saying what is wrong.
import { parseWorkerEnv, type WorkerEnv } from "./env-schema";

function load(): WorkerEnv {
  const result = parseWorkerEnv(process.env);
  if (!result.ok) {
    console.error(`sluice worker: invalid environment: ${result.message}`);
    process.exit(1);
  }
  return result.env;
}

export const env: WorkerEnv = load();
