import http from "node:http";
import { describe, expect, it } from "vitest";
import { type ChildExit, Supervisor, waitForHealthy } from "./supervise";

const node = (name: string, code: string) => ({
  name,
  command: process.execPath,
  args: ["-e", code],
  cwd: process.cwd(),
  env: process.env,
});

describe("Supervisor", () => {
  it("reports the first child that exits on its own", async () => {
    const exits: ChildExit[] = [];
    const supervisor = new Supervisor((exit) => exits.push(exit));
    supervisor.start(node("sleeper", "setTimeout(() => {}, 60_000)"));
    supervisor.start(node("crasher", "process.exit(3)"));
    await expect.poll(() => exits.length).toBe(1);
    expect(exits[0]).toEqual({ name: "crasher", code: 3, signal: null });
    await supervisor.stopAll();
    expect(exits).toHaveLength(1);
  });

  it("stops children with SIGTERM, and SIGKILLs one that ignores it", async () => {
    const exits: ChildExit[] = [];
    const supervisor = new Supervisor((exit) => exits.push(exit));
    const polite = supervisor.start(node("polite", "process.on('SIGTERM', () => process.exit(0)); setTimeout(() => {}, 60_000)"));
    const stubborn = supervisor.start(node("stubborn", "process.on('SIGTERM', () => {}); setInterval(() => {}, 1000)"));
    await new Promise((r) => setTimeout(r, 300)); // let both install their handlers
    const started = Date.now();
    await supervisor.stopAll(500);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(polite.exitCode).toBe(0);
    expect(stubborn.signalCode).toBe("SIGKILL");
    expect(exits).toEqual([]);
  });
});

describe("waitForHealthy", () => {
  it("waits until the URL answers 200", async () => {
    let calls = 0;
    const server = http.createServer((_req, res) => {
      calls++;
      res.writeHead(calls < 3 ? 503 : 200).end();
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const { port } = server.address() as { port: number };
    try {
      expect(await waitForHealthy(`http://127.0.0.1:${port}/api/health`, { timeoutMs: 10_000, isAborted: () => false })).toBe(
        true,
      );
      expect(calls).toBe(3);
    } finally {
      server.close();
    }
  });

  it("gives up when aborted", async () => {
    expect(await waitForHealthy("http://127.0.0.1:1/", { timeoutMs: 10_000, isAborted: () => true })).toBe(false);
  });
});
