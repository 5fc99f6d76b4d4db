// Who may watch what: the worker's socket.io server admits only a valid, short-lived token from the control
// plane, and a socket only ever hears the one sync its token names.
import { liveRoom } from "@sluice/contracts/live";
import { generateEncryptionKey } from "@sluice/db/crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createTestSync, testServices } from "../test-fixtures";
import {
  connectClient,
  connected,
  type RecordingClient,
  refusal,
  signLiveToken,
  sleep,
  startTestLiveServer,
  type TestLiveServer,
} from "./live-testing";

const s = testServices();
let server: TestLiveServer;
const clients: RecordingClient[] = [];
const client = (token: string | undefined) => {
  const c = connectClient(server.url, token);
  clients.push(c);
  return c;
};

beforeAll(async () => {
  server = await startTestLiveServer({ db: s.db });
});
afterEach(() => {
  for (const c of clients.splice(0)) c.close();
});
afterAll(() => server.close());

function batch(syncId: string, runId: string, marker: string) {
  return {
    runId,
    syncId,
    records: 1,
    outcomes: { delivered: 1, rejected: 0, failed: 0 },
    latencyMs: 12,
    sample: [
      { key: { id: marker }, payload: { marker }, response: { httpStatus: 200 }, outcome: "delivered" as const, latencyMs: 12 },
    ],
  };
}

describe("live view auth", () => {
  it("refuses a connection without a token, with a clear message", async () => {
    const error = await refusal(client(undefined).socket);
    expect(error.message).toMatch(/no token .*sync\.liveToken.*auth\.token/);
    expect(error.data).toEqual({ code: "token_missing" });
  });

  it("refuses a token that is malformed, signed with another key, signed with the raw encryption key, or for another audience", async () => {
    const claims = { workspaceId: "w", syncId: "s" };
    const bad = [
      "not-a-jwt",
      await signLiveToken({ ...claims, encryptionKey: generateEncryptionKey() }),
      await signLiveToken({ ...claims, rawKey: true }),
      await signLiveToken({ ...claims, audience: "someone-else" }),
    ];
    for (const token of bad) {
      const error = await refusal(client(token).socket);
      expect(error.message).toMatch(/token is not valid/);
      expect(error.data).toEqual({ code: "token_invalid" });
    }
  });

  it("refuses an expired token, and one that lives longer than five minutes", async () => {
    const expired = await refusal(
      client(await signLiveToken({ workspaceId: "w", syncId: "s", issuedAgo: 400, expiresIn: -60 })).socket,
    );
    expect(expired.message).toMatch(/token expired .* new one/);
    expect(expired.data).toEqual({ code: "token_expired" });

    const longLived = await refusal(client(await signLiveToken({ workspaceId: "w", syncId: "s", expiresIn: 3_600 })).socket);
    expect(longLived.message).toMatch(/lives longer than 300 s/);
  });

  it("gives a token for sync A sync A's events only, and refuses to let it join sync B", async () => {
    const a = await createTestSync(s, { schedule: { type: "manual" }, nextRunAt: null });
    const b = await createTestSync(s, { schedule: { type: "manual" }, nextRunAt: null });
    const watcherA = client(await signLiveToken({ workspaceId: a.workspaceId, syncId: a.syncId }));
    const watcherB = client(await signLiveToken({ workspaceId: b.workspaceId, syncId: b.syncId }));
    await Promise.all([connected(watcherA.socket), connected(watcherB.socket)]);
    // Each gets its own sync's snapshot at once (neither sync ran yet).
    expect(await watcherA.waitFor("run:snapshot")).toEqual({ syncId: a.syncId, run: null, events: [] });
    expect(await watcherB.waitFor("run:snapshot")).toEqual({ syncId: b.syncId, run: null, events: [] });

    const refused = await watcherA.socket.emitWithAck("live:join", { syncId: b.syncId });
    expect(refused).toEqual({ ok: false, error: expect.stringMatching(/token is for another sync/) });
    expect(await watcherA.socket.emitWithAck("live:join", { syncId: a.syncId })).toEqual({ ok: true });
    // Each join reads the database: asking again at once is refused.
    expect(await watcherA.socket.emitWithAck("live:join", { syncId: a.syncId })).toMatchObject({ ok: false, error: /too often/ });

    const sockets = await server.live.io.in(liveRoom(b.syncId)).fetchSockets();
    expect(sockets.map((x) => x.id)).toEqual([watcherB.socket.id]);

    server.live.observer.onBatch?.(batch(b.syncId, "run-b", "for-b"));
    server.live.observer.onBatch?.(batch(a.syncId, "run-a", "for-a"));
    expect((await watcherB.waitFor("run:event")).key).toEqual({ id: "for-b" });
    expect((await watcherA.waitFor("run:event")).key).toEqual({ id: "for-a" });
    await sleep(200);
    expect(watcherA.of("run:event").map((e) => e.syncId)).toEqual([a.syncId]);
    expect(watcherB.of("run:event").map((e) => e.syncId)).toEqual([b.syncId]);
  });

  it("disconnects a socket when its token expires, saying so first", async () => {
    const c = client(await signLiveToken({ workspaceId: "w", syncId: "s", expiresIn: 1 }));
    await connected(c.socket);
    const reason = new Promise<string>((resolve) => c.socket.once("disconnect", (r) => resolve(r)));
    await c.waitFor("live:expired", undefined, 5_000);
    expect(await reason).toBe("io server disconnect");
  });
});
