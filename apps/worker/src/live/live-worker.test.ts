// The live view as the worker process serves it: on the health/metrics port under /live, beside /health,
// with CORS for the control plane's origin only; stopping the worker disconnects browsers and frees the port.
import { LIVE_PATH } from "@sluice/contracts/live";
import { testDatabaseUrl } from "@sluice/db/testing";
import { afterEach, describe, expect, it } from "vitest";
import { createTestSync, testServices } from "../test-fixtures";
import { type RunningWorker, startWorker } from "../worker";
import { connectClient, connected, type RecordingClient, signLiveToken, TEST_ENCRYPTION_KEY } from "./live-testing";

const s = testServices();
let running: RunningWorker | undefined;
let browser: RecordingClient | undefined;
afterEach(async () => {
  browser?.close();
  await running?.stop();
  running = browser = undefined;
});

const live = { encryptionKey: TEST_ENCRYPTION_KEY, allowedOrigin: "https://sluice.example.com/", databaseUrl: testDatabaseUrl() };

describe("worker live endpoint", () => {
  it("serves socket.io on /live beside /health, allowing the control plane's origin", async () => {
    running = await startWorker({ services: s, port: 0, host: "127.0.0.1", live });
    const base = `http://127.0.0.1:${running.port}`;
    expect((await fetch(`${base}/health`)).status).toBe(200);
    expect((await fetch(`${base}/elsewhere`)).status).toBe(404);

    const handshake = `${base}${LIVE_PATH}/?EIO=4&transport=polling`;
    const allowed = await fetch(handshake, { headers: { origin: "https://sluice.example.com" } });
    expect(allowed.headers.get("access-control-allow-origin")).toBe("https://sluice.example.com");
    const other = await fetch(handshake, { headers: { origin: "https://evil.example.net" } });
    expect(other.headers.get("access-control-allow-origin")).not.toBe("https://evil.example.net");

    const sync = await createTestSync(s, { schedule: { type: "manual" }, nextRunAt: null });
    browser = connectClient(base, await signLiveToken(sync));
    await connected(browser.socket);
    expect(await browser.waitFor("run:snapshot")).toMatchObject({ syncId: sync.syncId, run: null });
    expect(running.live?.observer.onBatch).toBeTypeOf("function");
  });

  it("disconnects browsers and closes the port on stop()", async () => {
    const worker = await startWorker({ services: s, port: 0, host: "127.0.0.1", live });
    running = worker;
    const sync = await createTestSync(s, { schedule: { type: "manual" }, nextRunAt: null });
    browser = connectClient(`http://127.0.0.1:${worker.port}`, await signLiveToken(sync));
    await connected(browser.socket);
    const gone = new Promise<string>((resolve) => browser?.socket.once("disconnect", (reason) => resolve(reason)));
    await worker.stop();
    expect(await gone).toBe("transport close");
    await expect(fetch(`http://127.0.0.1:${worker.port}/health`)).rejects.toThrow();
  });
});
