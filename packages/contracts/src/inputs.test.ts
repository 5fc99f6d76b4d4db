import { describe, expect, it } from "vitest";
import { CreateApiKeyInput } from "./api-keys";
import { SignInInput, SignUpInput } from "./auth";
import { TestConnectionInput } from "./connections";
import { AddMemberInput } from "./members";
import { CreateWorkspaceInput } from "./workspaces";

describe("CreateWorkspaceInput", () => {
  it("takes names of 2–60 characters", () => {
    expect(CreateWorkspaceInput.safeParse({ name: "A" }).success).toBe(false);
    expect(CreateWorkspaceInput.safeParse({ name: "x".repeat(61) }).success).toBe(false);
    expect(CreateWorkspaceInput.parse({ name: "  Acme  " }).name).toBe("Acme");
  });

  it.each(["acme", "a", "acme-data-2", "a".repeat(40)])("accepts slug %s", (slug) => {
    expect(CreateWorkspaceInput.safeParse({ name: "Acme", slug }).success).toBe(true);
  });

  it.each(["-acme", "acme-", "Acme", "ac me", "a".repeat(41), "acme_data", ""])("refuses slug %j", (slug) => {
    expect(CreateWorkspaceInput.safeParse({ name: "Acme", slug }).success).toBe(false);
  });
});

describe("SignUpInput / SignInInput", () => {
  it("requires a password of 10–128 characters and a valid email", () => {
    const ok = { name: "Ada", email: "Ada@Example.com", password: "0123456789" };
    expect(SignUpInput.parse(ok).email).toBe("ada@example.com");
    expect(SignUpInput.safeParse({ ...ok, password: "012345678" }).success).toBe(false);
    expect(SignUpInput.safeParse({ ...ok, password: "x".repeat(129) }).success).toBe(false);
    expect(SignUpInput.safeParse({ ...ok, email: "nope" }).success).toBe(false);
    expect(SignUpInput.safeParse({ ...ok, name: " " }).success).toBe(false);
    expect(SignInInput.safeParse({ email: "a@b.co", password: "" }).success).toBe(false);
  });
});

describe("other inputs", () => {
  it("API keys never carry the owner role", () => {
    expect(CreateApiKeyInput.safeParse({ name: "ci", role: "owner" }).success).toBe(false);
    expect(CreateApiKeyInput.safeParse({ name: "ci", role: "editor" }).success).toBe(true);
  });

  it("members are added by email with a role", () => {
    expect(AddMemberInput.safeParse({ email: "x@y.io", role: "boss" }).success).toBe(false);
  });

  it("a connection test names either a type and config or a saved id", () => {
    expect(TestConnectionInput.safeParse({ type: "postgres", config: {} }).success).toBe(true);
    expect(TestConnectionInput.safeParse({ id: "abc" }).success).toBe(true);
    expect(TestConnectionInput.safeParse({ config: {} }).success).toBe(false);
  });
});
