import { generateKeyPairSync } from "node:crypto";
import { decodeJwt, decodeProtectedHeader } from "jose";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FatalDestinationError } from "../../kit/delivery";
import { login, SalesforceSession, signAssertion } from "./auth";
import { jwtAudienceFor, salesforceConfigSchema } from "./config";
import type { SalesforceEmulatorOptions } from "./emulator";
import { rsaKeyPair, startTestOrg, TEST_OPTIONS, type TestOrg } from "./testing";

let org: TestOrg;
const start = async (options: SalesforceEmulatorOptions = {}) => {
  await org?.emulator.close();
  org = await startTestOrg(options);
};
beforeEach(() => start());
afterEach(async () => {
  await org.emulator.close();
});

const refusal = async (promise: Promise<unknown>) => {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(FatalDestinationError);
  return (error as Error).message;
};

describe("JWT bearer flow", () => {
  it("POSTs an RS256 assertion (iss = consumer key, sub = username, aud, exp ≤ 3 min) and uses instance_url", async () => {
    const session = await login(org.jwtConfig(), TEST_OPTIONS);
    expect(session.instanceUrl).toBe(org.emulator.url);
    expect(session.accessToken).toMatch(/^00DSx/);
    const request = org.emulator.requests[0];
    expect(request?.path).toBe("/services/oauth2/token");
    expect(request?.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    const form = new URLSearchParams(request?.body);
    expect(form.get("grant_type")).toBe("urn:ietf:params:oauth:grant-type:jwt-bearer");
    const assertion = form.get("assertion") ?? "";
    expect(decodeProtectedHeader(assertion)).toEqual({ alg: "RS256" });
    const claims = decodeJwt(assertion);
    expect(claims).toMatchObject({
      iss: "3MVG9-sluice-test-consumer-key",
      sub: "integration@sluice.test",
      aud: "https://login.salesforce.com",
    });
    const now = Date.now() / 1000;
    expect(claims.exp).toBeGreaterThan(now + 170);
    expect(claims.exp).toBeLessThanOrEqual(now + 181);
  });

  it("uses test.salesforce.com as the audience for sandbox login URLs", () => {
    const config = (loginUrl: string, extra = {}) =>
      salesforceConfigSchema.parse({ loginUrl, consumerKey: "k", username: "u", privateKey: "x", ...extra });
    expect(jwtAudienceFor(config("https://test.salesforce.com"))).toBe("https://test.salesforce.com");
    expect(jwtAudienceFor(config("https://acme--uat.sandbox.my.salesforce.com"))).toBe("https://test.salesforce.com");
    expect(jwtAudienceFor(config("https://acme.my.salesforce.com"))).toBe("https://login.salesforce.com");
    expect(jwtAudienceFor(config("https://login.salesforce.com", { jwtAudience: "https://acme.my.site.com/" }))).toBe(
      "https://acme.my.site.com",
    );
  });

  it("accepts a PKCS#1 key pasted with literal \\n", async () => {
    const pkcs1 = generateKeyPairSync("rsa", { modulusLength: 2048 });
    await start({ publicKeyPem: pkcs1.publicKey.export({ type: "spki", format: "pem" }).toString() });
    const pem = pkcs1.privateKey.export({ type: "pkcs1", format: "pem" }).toString().replace(/\n/g, "\\n");
    expect(pem).toContain("BEGIN RSA PRIVATE KEY");
    await expect(login(org.jwtConfig({ privateKey: pem }), TEST_OPTIONS)).resolves.toMatchObject({
      instanceUrl: org.emulator.url,
    });
  });

  it("says to pre-authorize the connected app when the user has not approved it", async () => {
    await start({ approved: false });
    const message = await refusal(login(org.jwtConfig(), TEST_OPTIONS));
    expect(message).toContain("Salesforce refused the sign-in (invalid_grant: user hasn't approved this consumer)");
    expect(message).toContain('"Admin approved users are pre-authorized"');
    expect(message).toContain("integration@sluice.test");
  });

  it("says the private key does not match the app's certificate when the signature fails", async () => {
    const other = rsaKeyPair();
    const message = await refusal(login(org.jwtConfig({ privateKey: other.privateKeyPem }), TEST_OPTIONS));
    expect(message).toContain("(invalid_grant: invalid assertion)");
    expect(message).toContain("privateKey matches the certificate uploaded to the connected app");
    expect(message).not.toContain(other.privateKeyPem.split("\n")[1]);
  });

  it("names the audience to use when aud is wrong", async () => {
    const message = await refusal(login(org.jwtConfig({ jwtAudience: "https://acme.my.salesforce.com" }), TEST_OPTIONS));
    expect(message).toContain("audience is invalid");
    expect(message).toContain("https://test.salesforce.com for sandboxes");
  });

  it("points at the consumer key when Salesforce does not know it", async () => {
    const message = await refusal(login(org.jwtConfig({ consumerKey: "nope" }), TEST_OPTIONS));
    expect(message).toContain("(invalid_client_id: client identifier invalid). Check consumerKey");
  });

  it("refuses a private key that is not an RSA PEM without echoing it", async () => {
    const message = await refusal(
      login(
        org.jwtConfig({ privateKey: "-----BEGIN PRIVATE KEY-----\nnot-a-key-secret\n-----END PRIVATE KEY-----" }),
        TEST_OPTIONS,
      ),
    );
    expect(message).toContain("privateKey is not an unencrypted RSA private key in PEM form");
    expect(message).not.toContain("not-a-key-secret");
    expect(org.emulator.requests).toHaveLength(0);
  });

  it("signs assertions that expire 3 minutes after now", async () => {
    const at = Date.UTC(2030, 0, 1);
    const claims = decodeJwt(await signAssertion(org.jwtConfig(), at));
    expect(claims.exp).toBe(at / 1000 + 180);
  });
});

describe("username-password flow", () => {
  it("sends client id/secret, username and password + token, and gets a session", async () => {
    const session = await login(org.passwordConfig(), TEST_OPTIONS);
    expect(session.instanceUrl).toBe(org.emulator.url);
    expect(Object.fromEntries(new URLSearchParams(org.emulator.requests[0]?.body))).toEqual({
      grant_type: "password",
      client_id: "3MVG9-sluice-test-consumer-key",
      client_secret: "sluice-test-consumer-secret",
      username: "integration@sluice.test",
      password: "hunter2SECURITYTOKEN",
    });
  });

  it("explains a wrong password (security token), secret or consumer key without echoing them", async () => {
    const wrongPassword = await refusal(login(org.passwordConfig({ password: "hunter2" }), TEST_OPTIONS));
    expect(wrongPassword).toContain("(invalid_grant: authentication failure)");
    expect(wrongPassword).toContain("followed by the user's current security token");
    const wrongSecret = await refusal(login(org.passwordConfig({ clientSecret: "secret-xyz" }), TEST_OPTIONS));
    expect(wrongSecret).toContain("(invalid_client: invalid client credentials). Check clientSecret");
    const wrongKey = await refusal(login(org.passwordConfig({ consumerKey: "other" }), TEST_OPTIONS));
    expect(wrongKey).toContain("Check consumerKey");
    for (const message of [wrongPassword, wrongSecret, wrongKey]) {
      expect(message).not.toMatch(/hunter2|secret-xyz|sluice-test-consumer-secret/);
    }
  });

  it("needs the secret and the password in its settings", () => {
    const parsed = salesforceConfigSchema.safeParse({ authFlow: "password", consumerKey: "k", username: "u" });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => i.path.join("."))).toEqual(["clientSecret", "password"]);
    const jwt = salesforceConfigSchema.safeParse({ consumerKey: "k", username: "u" });
    expect(jwt.error?.issues.map((i) => `${i.path.join(".")}: ${i.message}`)).toEqual([
      "privateKey: The JWT flow needs the connected app's private key (PEM)",
    ]);
  });
});

describe("token endpoint", () => {
  it("retries a token endpoint that is briefly unavailable", async () => {
    org.emulator.failNext(1, { status: 503, body: "", match: (r) => r.path === "/services/oauth2/token" });
    await expect(login(org.jwtConfig(), TEST_OPTIONS)).resolves.toMatchObject({ instanceUrl: org.emulator.url });
    expect(org.emulator.requests).toHaveLength(2);
  });

  it("gives up with a plain (retry-later) error when it stays unavailable", async () => {
    org.emulator.failNext(5, { status: 500, body: "", match: (r) => r.path === "/services/oauth2/token" });
    const error = await login(org.jwtConfig(), TEST_OPTIONS).catch((e: unknown) => e);
    expect(error).not.toBeInstanceOf(FatalDestinationError);
    expect((error as Error).message).toBe("the Salesforce token endpoint answered HTTP 500 (after 3 attempts)");
  });

  it("refuses a loopback login URL unless private destinations are allowed", async () => {
    const message = await refusal(login(org.jwtConfig(), { allowPrivate: false }));
    expect(message).toContain("the Salesforce login URL is not allowed: 127.0.0.1 is a private or loopback address");
  });
});

describe("session", () => {
  it("renews once, shares a renewal between callers, and refuses a second", async () => {
    const session = await SalesforceSession.start(org.jwtConfig(), TEST_OPTIONS);
    const stale = session.current.accessToken;
    const [a, b] = await Promise.all([session.renew(stale), session.renew(stale)]);
    expect(a.accessToken).not.toBe(stale);
    expect(b).toEqual(a);
    expect(org.emulator.logins).toBe(2);
    await expect(session.renew(a.accessToken)).rejects.toThrow(FatalDestinationError);
    expect(org.emulator.logins).toBe(2);
  });
});
