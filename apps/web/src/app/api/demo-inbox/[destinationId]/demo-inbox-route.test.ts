// The demo inbox route is public (the worker's webhook client posts to it), so it must refuse anything
// that isn't a signed batch for a real demo destination.
import "@/test/setup-env";
import { describe, expect, it } from "vitest";
import { POST } from "./route";

function post(destinationId: string, body: string, headers: Record<string, string> = {}) {
  return POST(
    new Request(`http://localhost:3000/api/demo-inbox/${destinationId}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body,
    }),
    { params: Promise.resolve({ destinationId }) },
  );
}

describe("/api/demo-inbox/[destinationId]", () => {
  it("answers 404 for an unknown destination", async () => {
    const res = await post("no-such-destination", JSON.stringify({ syncId: "s", runId: "r", batchId: "b", records: [] }));
    expect(res.status).toBe(404);
  });
});
