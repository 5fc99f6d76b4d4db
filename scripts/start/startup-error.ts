// A start-up problem the user can fix: its message is one line saying what is wrong and how to fix it.
// start.ts prints it alone (no stack) and exits 1.
export class StartupError extends Error {
  override name = "StartupError";
}
