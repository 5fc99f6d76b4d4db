import http from "node:http";
import type net from "node:net";
import { verifyWebhookSignature } from "@sluice/contracts/webhook-signature";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { webhookConfigSchema } from "./config";
import { testWebhookConnection } from "./test-connection";

const requests: { headers: http.IncomingHttpHeaders; body: string }[] = [];
let server: http.Server;
let base: string;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c) => {
      body += c;
    });
    req.on("end", () => {
      requests.push({ headers: req.headers, body });
      res.statusCode = req.headers.authorization === "Bearer good" ? 200 : 401;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const config = (url: string, extra: object = {}) => webhookConfigSchema.parse({ url, ...extra });

describe("webhook testConnection", () => {
  it.each([
    "http://127.0.0.1:9/hook",
    "http://10.1.2.3/hook",
    "http://[::1]:8080/hook",
    "http://localhost:3000/hook",
    "https://192.168.0.10/",
  ])("refuses %s unless private addresses are allowed", async (url) => {
    const check = await testWebhookConnection(config(url), { allowPrivate: false });
    expect(check.ok).toBe(false);
    expect(check.steps).toHaveLength(1);
    expect(check.steps[0]?.message).toContain("private or loopback address");
    expect(check.steps[0]?.message).toContain("SLUICE_ALLOW_PRIVATE_DESTINATIONS=true");
  });

  it("reaches a local endpoint when allowed, sending a signed empty batch with the configured headers", async () => {
    const secret = "a-signing-secret-of-some-length";
    const check = await testWebhookConnection(
      config(`${base}/hook`, { headers: { Authorization: "Bearer good" }, signingSecret: secret }),
      {
        allowPrivate: true,
      },
    );
    expect(check.ok).toBe(true);
    expect(check.steps.map((s) => s.name)).toEqual(["Check the URL", "Resolve the host", "Reach the endpoint"]);
    expect(check.steps[2]?.message).toMatch(/answered HTTP 200/);
    const last = requests.at(-1);
    expect(JSON.parse(last?.body ?? "{}")).toMatchObject({ records: [] });
    expect(verifyWebhookSignature(last?.body ?? "", last?.headers["x-sluice-signature"] as string, secret)).toBe(true);
  });

  it("counts any HTTP status as reachable and points a 401 at the headers", async () => {
    const check = await testWebhookConnection(config(`${base}/hook`), { allowPrivate: true });
    expect(check.ok).toBe(true);
    expect(check.steps[2]?.message).toContain("HTTP 401");
    expect(check.steps[2]?.message).toContain("check the headers");
  });

  it("explains a refused connection", async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as net.AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const check = await testWebhookConnection(config(`http://127.0.0.1:${port}/hook`), { allowPrivate: true });
    expect(check.ok).toBe(false);
    expect(check.steps[2]?.message).toContain("Nothing accepted the connection");
  });

  it("explains a host that does not resolve", async () => {
    const check = await testWebhookConnection(config("https://no-such-host.invalid/hook"), { allowPrivate: false });
    expect(check.ok).toBe(false);
    expect(check.steps[1]?.message).toContain('"no-such-host.invalid" could not be found');
  });
});

describe("webhook config schema", () => {
  it("accepts only http(s) URLs and fills the batch size", () => {
    expect(webhookConfigSchema.safeParse({ url: "ftp://example.com/x" }).success).toBe(false);
    expect(webhookConfigSchema.safeParse({ url: "not a url" }).success).toBe(false);
    expect(webhookConfigSchema.parse({ url: "https://example.com/hook" }).batchSize).toBe(500);
  });
});
