import { createLogger } from "@sluice/core/log";
import { createDb } from "@sluice/db";
import { testDb } from "@sluice/db/testing";
import { afterEach, describe, expect, it } from "vitest";
import { parseWorkerEnv } from "./env-schema";
import { type RunningWorker, startWorker } from "./worker";

const log = createLogger("worker-test", { level: "silent" });
let running: RunningWorker | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
});

describe("worker health endpoint", () => {
  it("answers 200 with the database latency when the database responds", async () => {
    running = await startWorker({ services: { db: testDb(), log }, port: 0, host: "127.0.0.1" });
    const res = await fetch(`http://127.0.0.1:${running.port}/health`);
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({ status: "ok", database: { ok: true } });
    expect(typeof body.database.latencyMs).toBe("number");
  });

  it("answers 503 when the database cannot be reached", async () => {
    // Port 1 on loopback: nothing listens there, so the connection is refused at once.
    const dead = createDb("postgresql://sluice:secret@127.0.0.1:1/sluice");
    try {
      running = await startWorker({ services: { db: dead, log }, port: 0, host: "127.0.0.1" });
      const res = await fetch(`http://127.0.0.1:${running.port}/health`);
      expect(res.status).toBe(503);
      const body = await res.json();
      expect(body).toMatchObject({ status: "error", database: { ok: false } });
      expect(JSON.stringify(body)).not.toContain("secret");
    } finally {
      await dead.$disconnect();
    }
  });

  it("answers 404 on any other path", async () => {
    running = await startWorker({ services: { db: testDb(), log }, port: 0, host: "127.0.0.1" });
    expect((await fetch(`http://127.0.0.1:${running.port}/`)).status).toBe(404);
    expect((await fetch(`http://127.0.0.1:${running.port}/health`, { method: "POST" })).status).toBe(404);
  });

  it("stops accepting connections after stop()", async () => {
    const worker = await startWorker({ services: { db: testDb(), log }, port: 0, host: "127.0.0.1" });
    await worker.stop();
    await expect(fetch(`http://127.0.0.1:${worker.port}/health`)).rejects.toThrow();
  });
});

describe("worker environment", () => {
  const key = Buffer.alloc(32, 7).toString("base64");

  it("applies defaults", () => {
    const result = parseWorkerEnv({ DATABASE_URL: "postgresql://u@h/db", SLUICE_ENCRYPTION_KEY: key });
    expect(result).toMatchObject({
      ok: true,
      env: {
        SLUICE_WORKER_PORT: 3001,
        SLUICE_ALLOW_PRIVATE_DESTINATIONS: false,
        SLUICE_WORKER_CONCURRENCY: 4,
        SLUICE_LEASE_TTL_MS: 30_000,
      },
    });
  });

  it("reads the run concurrency and the lease TTL", () => {
    const base = { DATABASE_URL: "postgresql://u@h/db", SLUICE_ENCRYPTION_KEY: key };
    expect(parseWorkerEnv({ ...base, SLUICE_WORKER_CONCURRENCY: "8", SLUICE_LEASE_TTL_MS: "3000" })).toMatchObject({
      ok: true,
      env: { SLUICE_WORKER_CONCURRENCY: 8, SLUICE_LEASE_TTL_MS: 3000 },
    });
    expect(parseWorkerEnv({ ...base, SLUICE_WORKER_CONCURRENCY: "0" })).toMatchObject({
      ok: false,
      message: expect.stringContaining("SLUICE_WORKER_CONCURRENCY"),
    });
    expect(parseWorkerEnv({ ...base, SLUICE_LEASE_TTL_MS: "10" }).ok).toBe(false);
  });

  it("names the variable and the fix on bad input, in one line", () => {
    const missing = parseWorkerEnv({ SLUICE_ENCRYPTION_KEY: key });
    expect(missing).toMatchObject({ ok: false, message: expect.stringContaining("DATABASE_URL is required") });
    const shortKey = parseWorkerEnv({ DATABASE_URL: "postgresql://u@h/db", SLUICE_ENCRYPTION_KEY: "abc" });
    expect(shortKey.ok).toBe(false);
    if (!shortKey.ok) {
      expect(shortKey.message).toMatch(/SLUICE_ENCRYPTION_KEY must be 32 bytes/);
      expect(shortKey.message).not.toContain("\n");
    }
  });
});
