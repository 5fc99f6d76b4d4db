// Spawns the real `npm start` entry point with bad input: it must stop at once with exit 1 and one line on
// stderr. (The full start, with a build, is exercised by the Playwright e2e run.)
import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../../packages/db/src/home";

function start(env: Record<string, string>) {
  const result = spawnSync(process.execPath, ["--import", "tsx", path.join(PROJECT_ROOT, "scripts", "start.ts")], {
    cwd: PROJECT_ROOT,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      SLUICE_HOME: mkdtempSync(path.join(tmpdir(), "sluice-start-")),
      ...env,
    },
    encoding: "utf8",
    timeout: 30_000,
  });
  const stderrLines = result.stderr.split("\n").filter((l) => l.trim() !== "");
  return { status: result.status, stderrLines, stdout: result.stdout };
}

describe("npm start with bad input", () => {
  it("stops on a malformed DATABASE_URL with exit 1 and one line", () => {
    const { status, stderrLines, stdout } = start({ DATABASE_URL: "mysql://root:hunter2@localhost/sluice" });
    expect(status).toBe(1);
    expect(stderrLines).toHaveLength(1);
    expect(stderrLines[0]).toMatch(/DATABASE_URL must be a PostgreSQL URL .* — use postgresql:\/\//);
    expect(stderrLines[0]).not.toContain("hunter2");
    expect(stdout).toBe("");
  });

  it("stops when the web port is in use with exit 1 and one line", async () => {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, "0.0.0.0", resolve));
    const port = (server.address() as net.AddressInfo).port;
    try {
      const { status, stderrLines } = start({ PORT: String(port), SLUICE_WORKER_PORT: String(port === 65535 ? 1024 : port + 1) });
      expect(status).toBe(1);
      expect(stderrLines).toEqual([
        expect.stringMatching(
          new RegExp(`^✖ Port ${port} is already in use — stop the program using it or run PORT=\\d+ npm start$`),
        ),
      ]);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});
