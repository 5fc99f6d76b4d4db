// Runs once when the server boots: a bad environment stops it with one clear line instead of failing on the first request.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { loadEnv } = await import("./env");
  loadEnv();
}
