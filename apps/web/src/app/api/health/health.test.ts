import "@/test/setup-env";
import { describe, expect, it } from "vitest";
import { GET } from "./route";

describe("/api/health", () => {
  it("reports the database as reachable", async () => {
    const res = await GET();
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: "ok", database: { ok: true, latencyMs: expect.any(Number) } });
  });
});
