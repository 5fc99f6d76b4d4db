// Sign-up through the real auth route: the shared zod schema guards it server-side (field errors, nothing
// saved), and a session cookie from it works on /api/trpc, whose errors carry field errors in their shape.
import "@/test/setup-env";
import { uniqueName } from "@sluice/db/testing";
import { describe, expect, it } from "vitest";
import { services } from "@/server/services";
import { POST as trpcPost } from "../trpc/[trpc]/route";
import { POST as authPost } from "./[...all]/route";

const ORIGIN = "http://localhost:3000";

function signUp(body: unknown): Promise<Response> {
  return authPost(
    new Request(`${ORIGIN}/api/auth/sign-up/email`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: ORIGIN },
      body: JSON.stringify(body),
    }),
  );
}

describe("/api/auth sign-up", () => {
  it("answers 400 with field errors for invalid input and creates no user", async () => {
    const email = `${uniqueName("bad")}@example.test`;
    const res = await signUp({ name: " ", email, password: "short" });
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.fieldErrors).toMatchObject({ name: [expect.any(String)], password: ["Use at least 10 characters"] });
    expect(await services().db.user.count({ where: { email } })).toBe(0);
  });

  it("signs up, stores only a password hash, and the session works on tRPC with field errors in error shapes", async () => {
    const email = `${uniqueName("good")}@example.test`;
    const password = "a-long-enough-password";
    const res = await signUp({ name: "Grace Hopper", email, password });
    expect(res.status).toBe(200);
    const cookie = res.headers
      .getSetCookie()
      .map((c) => c.split(";")[0])
      .join("; ");
    expect(cookie).toContain("session_token");

    const account = await services().db.account.findFirstOrThrow({ where: { user: { email } } });
    expect(account.password).toBeTruthy();
    expect(account.password).not.toContain(password);

    const call = await trpcPost(
      new Request(`${ORIGIN}/api/trpc/workspace.create`, {
        method: "POST",
        headers: { "content-type": "application/json", cookie },
        body: JSON.stringify({ json: { name: "Ok name", slug: "Not A Slug!" } }),
      }),
    );
    expect(call.status).toBe(400);
    const error = (await call.json()).error.json;
    expect(error.data.code).toBe("BAD_REQUEST");
    expect(error.data.fieldErrors.slug[0]).toMatch(/lowercase/);
    expect(error.data).not.toHaveProperty("stack");

    const created = await trpcPost(
      new Request(`${ORIGIN}/api/trpc/workspace.create`, {
        method: "POST",
        headers: { "content-type": "application/json", cookie },
        body: JSON.stringify({ json: { name: "Grace's team" } }),
      }),
    );
    expect(created.status).toBe(200);
    expect((await created.json()).result.data.json).toMatchObject({ name: "Grace's team", slug: "grace-s-team" });
  });
});
