import { afterEach, describe, expect, it } from "vitest";
import {
  type EmulatorFaults,
  type EmulatorServer,
  FixedWindow,
  faultControls,
  type RecordedJsonRequest,
  recordJsonRequest,
  startEmulatorServer,
  stormEnd,
  takeForcedStatus,
} from "./emulator-server";

let server: EmulatorServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe("startEmulatorServer", () => {
  it("hands each request its body, keeping bytes up to the cap and counting all of them", async () => {
    const seen: { kept: string; size: number }[] = [];
    server = await startEmulatorServer(
      (_req, body, res) => {
        seen.push({ kept: body.raw.toString("utf8"), size: body.size });
        res.end();
      },
      { maxBodyBytes: 5 },
    );
    await fetch(server.url, { method: "POST", body: "abc" });
    await fetch(server.url, { method: "POST", body: "x".repeat(100_000) });
    expect(seen[0]).toEqual({ kept: "abc", size: 3 });
    expect(seen[1]?.size).toBe(100_000);
    expect(seen[1]?.kept.length).toBeLessThanOrEqual(5);
  });
});

describe("recordJsonRequest", () => {
  it("logs the parsed request and the status it was answered with", async () => {
    const log: RecordedJsonRequest[] = [];
    server = await startEmulatorServer((req, body, res) => {
      const { path, body: json, send } = recordJsonRequest(req, body, res, log);
      send(json === undefined ? 400 : 201, { path }, { "x-extra": "1" });
    });
    const ok = await fetch(`${server.url}/a?q=1`, {
      method: "POST",
      headers: { authorization: "Bearer t", "content-type": "application/json" },
      body: '{"n":1}',
    });
    expect(ok.status).toBe(201);
    expect(ok.headers.get("x-extra")).toBe("1");
    expect(await ok.json()).toEqual({ path: "/a" });
    expect((await fetch(`${server.url}/b`, { method: "POST", body: "not json" })).status).toBe(400);
    expect(log).toEqual([
      {
        method: "POST",
        path: "/a",
        authorization: "Bearer t",
        contentType: "application/json",
        body: { n: 1 },
        bytes: 7,
        status: 201,
      },
      expect.objectContaining({ path: "/b", body: undefined, bytes: 8, status: 400 }),
    ]);
  });
});

describe("faults", () => {
  it("a storm from the next request starts when that request arrives", () => {
    const faults: EmulatorFaults = {};
    faultControls(() => faults).stormFromNextRequest(300);
    expect(stormEnd(faults, 1_000)).toBe(1_300);
    expect(stormEnd(faults, 1_299)).toBe(1_300);
    expect(stormEnd(faults, 1_300)).toBeUndefined();
  });

  it("forced statuses count down, 500 by default", () => {
    const faults: EmulatorFaults = {};
    const controls = faultControls(() => faults);
    controls.failNext(2, 503);
    expect([takeForcedStatus(faults), takeForcedStatus(faults), takeForcedStatus(faults)]).toEqual([503, 503, undefined]);
    controls.failNext(1);
    expect(takeForcedStatus(faults)).toBe(500);
  });

  it("a fixed window refuses past its count until the next window starts", () => {
    const window = new FixedWindow();
    const limit = { requests: 2, perMs: 1_000 };
    expect([5_000, 5_100, 5_200].map((t) => window.take(limit, t))).toEqual([
      { count: 1, endsAt: 6_000, limited: false },
      { count: 2, endsAt: 6_000, limited: false },
      { count: 3, endsAt: 6_000, limited: true },
    ]);
    expect(window.take(limit, 6_000)).toEqual({ count: 1, endsAt: 7_000, limited: false });
  });
});
