import { pingDb } from "@sluice/db";
import { services } from "@/server/services";

export const dynamic = "force-dynamic";

/** Liveness + database check for load balancers, compose healthchecks and the start script. */
export async function GET() {
  const s = services();
  const database = await pingDb(s.db);
  const headers = { "cache-control": "no-store" };
  if (database.ok) return Response.json({ status: "ok", database }, { headers });
  s.log.warn({ error: database.error }, "health check: database unreachable");
  return Response.json({ status: "error", database: { ok: false, error: "database unreachable" } }, { status: 503, headers });
}
