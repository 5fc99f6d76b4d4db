// The destination router through createCaller: the catalogue is the registry, only admins change or test
// destinations, and secrets are masked on the way out and kept when sent back masked.
import "@/test/setup-env";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { listDestinations } from "@sluice/connectors";
import { SECRET_MASK } from "@sluice/contracts/connections";
import { loadDestinationWithSecrets } from "@sluice/core";
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { services } from "@/server/services";
import { addUserWithRole, createWorkspaceWithOwner } from "@/test/fixtures";
import { createCaller } from "../root";

const TOKEN = "Bearer tok_router_5f2a9c";
const SIGNING = "router-signing-secret-0123";
// A real endpoint on this machine; it records what the connection test sent.
const received: { headers: http.IncomingHttpHeaders; body: string }[] = [];
let server: http.Server;
let url: string;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c) => {
      body += c;
    });
    req.on("end", () => {
      received.push({ headers: req.headers, body });
      res.writeHead(req.headers.authorization === TOKEN ? 200 : 401).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

// The operator switch is on, as `npm start` sets it for the embedded default, so a local endpoint is allowed.
const callerFor = (user: { id: string; name: string; email: string }) =>
  createCaller({ services: { ...services(), allowPrivateDestinations: true }, user });

async function trpcCode(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TRPCError);
  return (error as TRPCError).code;
}

async function workspace() {
  const s = services();
  const { ctx } = await createWorkspaceWithOwner(s);
  const as = async (role: "admin" | "editor" | "viewer") => callerFor(await addUserWithRole(s, ctx, role));
  return { s, ctx, slug: ctx.workspaceSlug, as };
}

describe("tRPC destination router", () => {
  it("lists every destination in the registry with what it writes, its docs and its form", async () => {
    const { slug, as } = await workspace();
    const catalog = await (await as("viewer")).destination.catalog({ workspace: slug });
    expect(catalog.map((d) => d.slug).sort()).toEqual(
      listDestinations()
        .map((d) => d.slug)
        .sort(),
    );
    const webhook = catalog.find((d) => d.slug === "webhook");
    expect(webhook?.objects).toEqual([expect.objectContaining({ name: "records", label: "Records" })]);
    expect(webhook?.docs.length).toBeGreaterThan(0);
    expect(webhook?.fields.find((f) => f.key === "headers")).toMatchObject({ type: "record", secret: true });
  });

  it("lets an admin test, save, edit with masked secrets and delete a webhook", async () => {
    const { s, slug, as } = await workspace();
    const caller = await as("admin");
    const config = { url, headers: { Authorization: TOKEN }, signingSecret: SIGNING };

    const check = await caller.destination.test({ workspace: slug, type: "webhook", config });
    expect(check.ok).toBe(true);
    expect(check.steps.at(-1)?.message).toMatch(/answered HTTP 200/);
    expect(received.at(-1)?.headers.authorization).toBe(TOKEN);

    const created = await caller.destination.create({ workspace: slug, name: "Hook", type: "webhook", config });
    expect(created.config).toMatchObject({ headers: { Authorization: SECRET_MASK }, signingSecret: SECRET_MASK });
    expect(JSON.stringify(await caller.destination.list({ workspace: slug }))).not.toMatch(/tok_router|router-signing/);

    // Testing the saved one with the form's masked values uses the stored secrets (the endpoint sees the token).
    const shown = (await caller.destination.get({ workspace: slug, id: created.id })).config;
    expect((await caller.destination.test({ workspace: slug, id: created.id, config: shown })).steps.at(-1)?.message).toMatch(
      /HTTP 200/,
    );
    await caller.destination.update({ workspace: slug, id: created.id, config: { ...shown, batchSize: 50 } });
    expect((await loadDestinationWithSecrets(s, created.id)).config).toEqual({
      ...config,
      delivery: "batch",
      batchSize: 50,
      concurrency: 4,
      gzip: false,
    });

    await caller.destination.delete({ workspace: slug, id: created.id });
    expect(await caller.destination.list({ workspace: slug })).toEqual([]);
  });

  it("lets editors and viewers read destinations but not create, edit, test or delete them", async () => {
    const { s, ctx, slug, as } = await workspace();
    const { id } = await (await as("admin")).destination.create({
      workspace: slug,
      name: "Hook",
      type: "webhook",
      config: { url },
    });
    const before = received.length;
    for (const role of ["editor", "viewer"] as const) {
      const caller = await as(role);
      expect((await caller.destination.get({ workspace: slug, id })).name).toBe("Hook");
      expect(await trpcCode(caller.destination.create({ workspace: slug, name: "X", type: "webhook", config: { url } }))).toBe(
        "FORBIDDEN",
      );
      expect(await trpcCode(caller.destination.update({ workspace: slug, id, name: "Y" }))).toBe("FORBIDDEN");
      expect(await trpcCode(caller.destination.delete({ workspace: slug, id }))).toBe("FORBIDDEN");
      expect(await trpcCode(caller.destination.test({ workspace: slug, id }))).toBe("FORBIDDEN");
      expect(await trpcCode(caller.destination.test({ workspace: slug, type: "webhook", config: { url } }))).toBe("FORBIDDEN");
    }
    // A refused test sends nothing.
    expect(received.length).toBe(before);
    expect((await s.db.destination.findMany({ where: { workspaceId: ctx.workspaceId } })).map((d) => d.name)).toEqual(["Hook"]);
  });
});
