// No Docker engine runs here, so docker-compose.yml is checked by reading it: the services and their
// healthchecks and start order exist, and every variable a service sets is one its app actually reads
// (the apps' zod env schemas), with every required one set.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import type { z } from "zod";
import { webEnvSchema } from "./apps/web/src/env-schema";
import { workerEnvSchema } from "./apps/worker/src/env-schema";

const root = import.meta.dirname;
interface Service {
  image?: string;
  build?: { context: string; dockerfile: string };
  environment?: Record<string, string> | string[];
  healthcheck?: { test: string[] | string };
  depends_on?: Record<string, { condition: string }>;
  volumes?: string[];
}
const compose = parse(readFileSync(path.join(root, "docker-compose.yml"), "utf8")) as { services: Record<string, Service> };
const services = compose.services;

function envKeys(service: Service): string[] {
  const env = service.environment ?? {};
  return Array.isArray(env) ? env.map((entry) => entry.split("=")[0] ?? "") : Object.keys(env);
}

function requiredKeys(schema: z.ZodObject): string[] {
  return Object.entries(schema.shape)
    .filter(([, field]) => !(field as z.ZodType).safeParse(undefined).success)
    .map(([key]) => key);
}

const apps = [
  { service: "web", schema: webEnvSchema as z.ZodObject, dockerfile: "apps/web/Dockerfile" },
  { service: "worker", schema: workerEnvSchema as z.ZodObject, dockerfile: "apps/worker/Dockerfile" },
];

describe("docker-compose.yml", () => {
  it("has postgres, web and worker, each with a healthcheck", () => {
    expect(Object.keys(services).sort()).toEqual(["postgres", "web", "worker"]);
    for (const service of Object.values(services)) expect(service.healthcheck?.test).toBeTruthy();
    expect(services.postgres?.image).toMatch(/^postgres:16/);
    expect(JSON.stringify(services.postgres?.healthcheck?.test)).toContain("pg_isready");
    expect(services.postgres?.volumes?.some((v) => v.endsWith(":/var/lib/postgresql/data"))).toBe(true);
    expect(JSON.stringify(services.web?.healthcheck?.test)).toContain("/api/health");
    expect(JSON.stringify(services.worker?.healthcheck?.test)).toContain("/health");
  });

  it("starts web and worker only on a healthy database, and the worker after the migrating web", () => {
    expect(services.web?.depends_on?.postgres?.condition).toBe("service_healthy");
    expect(services.worker?.depends_on?.postgres?.condition).toBe("service_healthy");
    expect(services.worker?.depends_on?.web?.condition).toBe("service_healthy");
  });

  for (const app of apps) {
    describe(app.service, () => {
      const service = services[app.service] as Service;

      it("sets only variables the app reads", () => {
        const known = Object.keys(app.schema.shape);
        const unknown = envKeys(service).filter((key) => !known.includes(key));
        expect(unknown, `not in ${app.service}'s env schema`).toEqual([]);
      });

      it("sets every variable the app requires", () => {
        const missing = requiredKeys(app.schema).filter((key) => !envKeys(service).includes(key));
        expect(missing).toEqual([]);
      });

      it("builds from an existing Dockerfile at the repository root", () => {
        expect(service.build).toEqual({ context: ".", dockerfile: app.dockerfile });
        expect(existsSync(path.join(root, app.dockerfile))).toBe(true);
      });

      it("copies every workspace's package.json before npm ci (else npm ci fails in the image)", () => {
        const dockerfile = readFileSync(path.join(root, app.dockerfile), "utf8");
        const workspaces = ["apps", "packages"]
          .flatMap((dir) => readdirSync(path.join(root, dir)).map((name) => `${dir}/${name}`))
          .concat("e2e")
          .filter((dir) => existsSync(path.join(root, dir, "package.json")));
        for (const workspace of workspaces)
          expect(dockerfile).toContain(`COPY ${workspace}/package.json ${workspace}/package.json`);
        expect(dockerfile).toMatch(/^FROM node:20-bookworm-slim/m);
        expect(dockerfile).toContain("npm ci");
      });
    });
  }

  it("uses the variable names the apps read for ports", () => {
    const webEnv = services.web?.environment as Record<string, string> | undefined;
    const workerEnv = services.worker?.environment as Record<string, string> | undefined;
    expect(webEnv?.PORT).toBe("3000");
    expect(workerEnv?.SLUICE_WORKER_PORT).toBe("3001");
  });
});
