import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { segmentConfigSchema } from "./config";
import { type SegmentEmulator, startSegmentEmulator } from "./emulator";
import { testSegmentConnection } from "./test-connection";

let segment: SegmentEmulator;
beforeEach(async () => {
  segment = await startSegmentEmulator({ writeKeys: ["good"] });
});
afterEach(async () => {
  await segment.close();
});
const check = (writeKey: string, o: { allowPrivate?: boolean; baseUrl?: string } = {}) =>
  testSegmentConnection(segmentConfigSchema.parse({ baseUrl: o.baseUrl ?? segment.url, writeKey }), {
    allowPrivate: o.allowPrivate ?? true,
  });

describe("segment: test connection", () => {
  it("passes when the endpoint takes an empty batch with the key, storing nothing", async () => {
    const result = await check("good");
    expect(result).toEqual({
      ok: true,
      steps: [
        { name: "Check the base URL", ok: true, message: `Batches go to ${segment.url}/v1/batch.` },
        { name: "Send an empty batch", ok: true, message: expect.stringMatching(/accepted the write key \(HTTP 200/) },
      ],
    });
    expect(segment.requests[0]?.body).toEqual({ batch: [] });
    expect(segment.messages).toEqual([]);
  });

  it("names the problem: refused key, missing endpoint, private address", async () => {
    expect((await check("bad")).steps.at(-1)?.message).toMatch(/The write key was refused \(HTTP 401/);
    expect((await check("good", { baseUrl: `${segment.url}/x` })).steps.at(-1)?.message).toMatch(
      /no batch endpoint at .*\/x\/v1\/batch \(HTTP 404\)/,
    );
    const refused = await check("good", { allowPrivate: false });
    expect(refused.ok).toBe(false);
    expect(refused.steps).toHaveLength(1);
    expect(refused.steps[0]?.message).toMatch(/private or loopback address/);
  });
});
