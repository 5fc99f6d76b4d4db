import net from "node:net";
import { testDatabaseUrl } from "@sluice/db/testing";
import { afterEach, describe, expect, it } from "vitest";
import { checkDatabaseReachable, checkPortsFree, describeConnectError } from "./preflight";
import { StartupError } from "./startup-error";

const servers: net.Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

async function occupy(host = "0.0.0.0"): Promise<number> {
  const server = net.createServer();
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return (server.address() as net.AddressInfo).port;
}

async function failure(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(StartupError);
  const message = (error as Error).message;
  expect(message).not.toContain("\n");
  return message;
}

describe("checkPortsFree", () => {
  it("passes when the ports are free", async () => {
    const port = await occupy();
    servers.pop()?.close();
    await new Promise((r) => setTimeout(r, 50));
    await expect(checkPortsFree([{ port, variable: "PORT" }])).resolves.toBeUndefined();
  });

  it("names the taken web port and a free one to use instead", async () => {
    const port = await occupy();
    const message = await failure(checkPortsFree([{ port, variable: "PORT" }]));
    expect(message).toMatch(
      new RegExp(`^Port ${port} is already in use — stop the program using it or run PORT=\\d+ npm start$`),
    );
  });

  it("detects a port held on loopback only, and names the worker's variable", async () => {
    const port = await occupy("127.0.0.1");
    const message = await failure(checkPortsFree([{ port, variable: "SLUICE_WORKER_PORT" }]));
    expect(message).toMatch(/SLUICE_WORKER_PORT\) is already in use — .* run SLUICE_WORKER_PORT=\d+ npm start$/);
  });
});

describe("checkDatabaseReachable", () => {
  it("passes for the test database", async () => {
    await expect(checkDatabaseReachable(testDatabaseUrl())).resolves.toBeUndefined();
  });

  it("says nobody listens, without the password", async () => {
    const port = await occupy();
    servers.pop()?.close(); // a port that was just free: nothing listens there now
    await new Promise((r) => setTimeout(r, 50));
    const message = await failure(checkDatabaseReachable(`postgresql://sluice:hunter2@127.0.0.1:${port}/sluice`));
    expect(message).toBe(
      `Cannot connect to PostgreSQL at 127.0.0.1:${port} (ECONNREFUSED) — is it running? Check DATABASE_URL, or unset it to use the embedded database`,
    );
  });

  it("says which database is missing", async () => {
    const url = new URL(testDatabaseUrl());
    url.pathname = "/sluice_no_such_database";
    const message = await failure(checkDatabaseReachable(url.toString()));
    expect(message).toMatch(/has no database "sluice_no_such_database" — create it/);
  });

  it("explains login failures and timeouts without leaking the password", () => {
    const url = "postgresql://app:s3cr%40t@db.internal:6543/sluice";
    const login = describeConnectError(url, Object.assign(new Error("password authentication failed"), { code: "28P01" }));
    expect(login).toBe(
      'PostgreSQL at db.internal:6543 refused user "app" (wrong password) — check the user and password in DATABASE_URL',
    );
    const timeout = describeConnectError(url, new Error("Connection terminated due to connection timeout s3cr@t"));
    expect(timeout).toMatch(/^Cannot connect to PostgreSQL at db.internal:6543 \(timed out\) — is it running\?/);
    const other = describeConnectError(url, new Error("weird failure with s3cr@t inside"));
    expect(other).not.toContain("s3cr@t");
  });
});
