import { describe, expect, it } from "vitest";
import { createDb, pingDb } from "./client";
import { testDb, uniqueName } from "./testing";

describe("control-plane database", () => {
  it("is migrated and answers queries", async () => {
    const db = testDb();
    expect(await pingDb(db)).toMatchObject({ ok: true });
    const slug = uniqueName("ws");
    const ws = await db.workspace.create({ data: { slug, name: "Acme" } });
    expect((await db.workspace.findUniqueOrThrow({ where: { slug } })).id).toBe(ws.id);
  });

  it("reports an unreachable database instead of hanging", async () => {
    const dead = createDb("postgresql://nobody@127.0.0.1:1/none");
    const result = await pingDb(dead, 1_000);
    expect(result.ok).toBe(false);
    await dead.$disconnect();
  });
});
