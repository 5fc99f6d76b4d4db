import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { brazeConfigSchema } from "./config";
import { type BrazeEmulator, startBrazeEmulator } from "./emulator";
import { PROBE_EXTERNAL_ID, testBrazeConnection } from "./test-connection";

let braze: BrazeEmulator;
beforeEach(async () => {
  braze = await startBrazeEmulator({ apiKeys: { full: ["users.track", "users.delete"], deleteOnly: ["users.delete"] } });
});
afterEach(async () => {
  await braze.close();
});
const check = (apiKey: string, allowPrivate = true) =>
  testBrazeConnection(brazeConfigSchema.parse({ restEndpoint: braze.url, apiKey }), { allowPrivate });

describe("braze: test connection", () => {
  it("passes with a users.track key and writes nothing (Update Only probe)", async () => {
    const result = await check("full");
    expect(result.ok).toBe(true);
    expect(result.steps.map((s) => s.name)).toEqual(["Check the REST endpoint", "Authenticate (users.track)"]);
    expect(braze.requests[0]?.body).toEqual({ attributes: [{ external_id: PROBE_EXTERNAL_ID, _update_existing_only: true }] });
    expect(braze.users.size).toBe(0);
  });

  it("names the problem: unknown key, missing users.track, private address refused", async () => {
    const unknown = await check("nope");
    expect(unknown.ok).toBe(false);
    expect(unknown.steps.at(-1)?.message).toMatch(/does not know this REST API key \(HTTP 401/);
    const denied = await check("deleteOnly");
    expect(denied.steps.at(-1)?.message).toMatch(/lacks the users\.track permission \(HTTP 403/);
    const refused = await check("full", false);
    expect(refused.steps).toEqual([
      { name: "Check the REST endpoint", ok: false, message: expect.stringMatching(/private or loopback address/) },
    ]);
    expect(braze.requests).toHaveLength(2);
  });

  it("reports an endpoint that does not answer", async () => {
    const url = braze.url;
    await braze.close();
    const result = await testBrazeConnection(brazeConfigSchema.parse({ restEndpoint: url, apiKey: "full" }), {
      allowPrivate: true,
    });
    expect(result.steps.at(-1)?.message).toMatch(/Could not reach .*connection refused/);
    braze = await startBrazeEmulator();
  });
});
